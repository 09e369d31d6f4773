//! World, Europe and Africa.

use super::{DemoArticle, NEWS};
use crate::demo::art::Scene;
use crate::demo::catalogue::{KWAME, LUKAS, PRIYA, TOMAS};

pub(super) const ARTICLES: &[DemoArticle] = &[
    DemoArticle {
        headline: "Flood barriers hold as river towns count the cost of a wet spring",
        standfirst: "Mobile walls kept the water out of old town centres that flooded a decade ago. Farmers say the damage to their crops will be known only in summer.",
        body: r#"Water levels on the upper Danube fell for a third day running, and emergency services lifted flood warnings in three districts as the river slowly returned within its banks.

The crest passed the town of Marienfurt early yesterday at 7.42 metres, the third-highest level on record and only 30 centimetres below the flood of ten years ago that left its medieval centre under water for a week.

This time the centre stayed dry. Crews spent two days bolting 1.4 kilometres of aluminium panels onto concrete foundations laid along the riverbank after the last disaster.

> “We spent ten years arguing about these walls: the cost, the view, whether they would ever be needed. This week they paid for themselves several times over.”
>
> — Karin Vogl, mayor of Marienfurt

## A wetter pattern

Weather services recorded 180% of the usual spring rainfall across the upper catchment, on top of a late snowmelt in the Alps. Hydrologists say such combinations have become more frequent since the 1990s.

Downstream towns with older defences fared worse. In Kleinstetten, where a planned barrier is still awaiting approval, 240 homes were evacuated and the riverside road was closed for four days. Volunteers filled some 30,000 sandbags.

## Counting the cost

Regional authorities estimate the direct damage at between €90 million and €120 million, well below the €700 million recorded a decade ago. Insurers expect far fewer claims, in part because the barriers protected the shops and hotels that made up most of the losses last time.

The picture in the countryside is bleaker. Around 11,000 hectares of farmland remain waterlogged, and growers say maize and sugar beet may have to be sown weeks late, or not at all.

“The river goes down in a week,” said Josef Haider, who farms 140 hectares outside Kleinstetten. “The field takes a month to dry, and the harvest tells you in September what it really cost.”

The regional government said it would decide next month on emergency aid for farmers, and on whether to speed up approval of the barriers still waiting to be built."#,
        authors: &[LUKAS, TOMAS],
        section: "europe",
        tags: &["climate"],
        hours_ago: 20,
        corrections: "An earlier version of this article said flood warnings had been lifted in four districts. They were lifted in three.",
        scene: Scene::Flood,
        alt: "Illustration of a small riverside town with a church spire, an orange flood barrier holding back layered blue waves.",
        caption: "Mobile barriers along the riverbank kept Marienfurt’s old town dry as the crest passed.",
        ..NEWS
    },
    DemoArticle {
        headline: "Solar mini-grids bring evening light to 40 lakeside villages",
        standfirst: "A pay-as-you-go scheme on the shores of Lake Volta has connected 6,000 homes in eighteen months. The hard part, its operators say, is keeping prices low enough.",
        body: r#"For most of her life, Abena Asante’s working day ended when the sun went down. The smoked fish she sells at the market in Dzemeni had to be prepared by daylight, and her children did their homework by the light of a kerosene lamp, or a phone.

Since last year, her village has been connected to a solar mini-grid: a field of panels, a container of batteries and a network of poles that brings electricity to 190 homes and 30 small businesses.

> “Now the day is longer. I have a freezer, the children read in the evening, and the tailor next door works until ten. Nobody wants to go back.”
>
> — Abena Asante, fish trader and chair of the village energy committee

## Forty villages, 6,000 homes

The scheme, run by a private operator with grants from a regional development fund, has built mini-grids in 40 villages along the eastern shore of the lake in eighteen months. Together they supply about 6,000 households, many of them too far from the national grid to be connected within the next decade.

Customers pay in advance with mobile money, in amounts as small as one cedi. A smart meter switches off the supply when the credit runs out, which keeps the operator’s bad debts low but can leave the poorest households in the dark at the end of the month.

## The price problem

Electricity from the mini-grids costs about three times the national tariff, because the operators receive no subsidy on running costs. Samuel Boateng, the engineer who designed most of the systems, said that was the scheme’s biggest weakness.

“The technology is the easy part now. Panels are cheap and batteries are getting cheaper every year,” he said. “What decides whether a village uses its grid for a freezer or only for a light bulb is the price per unit.”

The energy ministry is considering a proposal to let mini-grid customers pay the national tariff, with the difference made up from a fund financed by a small levy on all electricity bills. A decision is expected before the end of the year.

Meanwhile, the operator plans to add 25 more villages by next spring, and to install its first solar-powered ice plant for the lake’s fishing fleet."#,
        authors: &[KWAME],
        section: "africa",
        tags: &["energy", "climate"],
        hours_ago: 66,
        scene: Scene::Solar,
        alt: "Illustration of solar panels and small huts with glowing windows on a lake shore, the sun setting over the water.",
        caption: "Forty villages on the lake’s eastern shore now have electricity after dark.",
        ..NEWS
    },
    DemoArticle {
        headline: "Port expansion doubles container capacity on the west coast",
        standfirst: "A new deep-water terminal can handle the largest ships now sailing to West Africa. Hauliers warn that roads out of the port have not kept pace.",
        body: r#"The first vessel to berth at the new deep-water terminal in Port Abrafo was unloaded this week, nearly doubling the port’s capacity and allowing ships of up to 14,000 containers to call without transferring their cargo at another harbour first.

The terminal, built over four years at a cost of $1.1 billion, adds 1.4 kilometres of quay, six ship-to-shore cranes and a yard for 30,000 containers. The port authority expects annual traffic to rise from 1.6 million to 3 million containers by the end of the decade.

> “Until now, a shipment from Asia stopped somewhere else first and was moved onto a smaller ship. That costs days and it costs money. From today it comes straight here.”
>
> — Kofi Asamoah, director general of the port authority

## Cheaper imports, faster exports

Shipping analysts estimate that direct calls could cut the cost of moving a container from East Asia by 10% to 15%, savings that importers of food, fuel and building materials say should eventually reach shop shelves.

Exporters hope for benefits in the other direction. Cocoa, cashew and fruit growers have long complained that delays at the port spoil perishable cargo; the terminal includes 1,200 refrigerated container points, four times the old capacity.

## Trouble on the road

The picture beyond the gates is less rosy. The two-lane highway that carries most of the port’s traffic inland is already congested, and the rail line that was meant to take a third of the containers has yet to be finished.

“A faster port only helps if the container can leave it,” said Grace Owusu, who runs a haulage company with 60 lorries. “Some days my drivers wait six hours at the gate. Double the ships and, without the railway, you double the queue.”

The transport ministry said the first section of the railway would open next year, and that a truck-booking system would be introduced at the gates within three months to spread arrivals across the day and night.

Labour unions have welcomed the 1,800 permanent jobs created at the terminal, but raised concerns that automated yard equipment may reduce the number of dockworkers needed at the older quays."#,
        authors: &[KWAME, PRIYA],
        section: "africa",
        tags: &["trade"],
        hours_ago: 90,
        scene: Scene::Port,
        alt: "Illustration of orange gantry cranes above stacks of coloured containers and a cargo ship berthed at a quay.",
        caption: "The new terminal adds six ship-to-shore cranes and room for 30,000 containers.",
        ..NEWS
    },
    DemoArticle {
        headline: "Alpine villages vote to cap holiday lets as locals are priced out",
        standfirst: "Four communities will limit short-term rentals to 90 nights a year. Owners say the rule will hurt the tourism it is meant to protect.",
        body: r#"Residents of four villages in the valley below the Hohe Wand ski area voted by large majorities in local referendums to limit holiday lets to 90 nights a year, in one of the strictest local rules on short-term rentals in the Alps.

In Almried, the largest of the four, 71% of voters backed the cap on a turnout of 64%. The rule takes effect next winter and applies to any home not lived in by its owner for most of the year.

## Homes that stand empty

Almost half the homes in Almried are now second homes or holiday lets, according to the municipality, up from a quarter twenty years ago. Prices have more than doubled in a decade, and the village school lost a class last year because young families could no longer afford to stay.

> “In August and February the village is full. In November you can walk down the main street at seven in the evening and see three lit windows. A village needs people who live in it.”
>
> — Matthias Gruber, mayor of Almried

The council will use the extra homes it expects to free up to house seasonal workers, who currently commute from towns up to an hour away. Ski schools and hotels have struggled to fill jobs for several seasons.

## Owners push back

An association of holiday-home owners said it would challenge the rule in court, arguing that it breaches property rights and will reduce tourist numbers. Its spokeswoman, Claudia Reiter, said many owners relied on rental income to pay mortgages taken out when prices were lower.

“People did nothing wrong by buying a flat and letting it to skiers,” she said. “Now they are being told to sell at a bad moment or leave it empty for nine months.”

Tourism economists note that similar caps in resorts elsewhere have reduced the number of listings without any clear fall in overnight stays, because guests moved to hotels and owner-occupied rooms. They caution that the effect on prices usually takes several years to appear.

Three more villages in the region plan to hold their own votes this autumn."#,
        authors: &[LUKAS],
        section: "europe",
        tags: &["housing"],
        hours_ago: 136,
        scene: Scene::Mountains,
        alt: "Illustration of snow-capped alpine peaks above a row of small chalets with orange roofs and dark pine trees.",
        caption: "Almost half the homes in Almried are second homes or holiday lets.",
        ..NEWS
    },
];
