//! Economy, Energy and Trade.

use gazette_core::Genre;

use super::{DemoArticle, NEWS};
use crate::demo::art::Scene;
use crate::demo::catalogue::{PRIYA, TOMAS};

pub(super) const ARTICLES: &[DemoArticle] = &[
    DemoArticle {
        headline: "Offshore wind farm sends first power ashore, four months ahead of schedule",
        standfirst: "The first eight turbines of North Reach are now feeding the grid. When complete, the farm will supply about one home in seven.",
        body: r#"The first electricity from the North Reach offshore wind farm reached the grid this week, four months earlier than planned, after engineers completed the export cable linking eight finished turbines to a substation on the coast.

When all 62 turbines are running next year, the farm will have a capacity of 930 megawatts, enough to supply the annual needs of roughly 900,000 homes, or about one in seven in the country.

> “Offshore projects are famous for running late. We had a calm autumn, a good crew and a vessel that arrived on time, and we used every one of those days.”
>
> — Niamh Gallagher, project director at North Reach

## Built from the harbour

Each turbine stands 260 metres tall from sea level to blade tip, with a rotor wider than two football pitches laid end to end. They were assembled at the port of Westhaven, where a quay was strengthened and 400 people were hired to prepare foundations and towers.

The harbour had lost most of its fishing fleet and its shipyard over the past 30 years. Local officials hope that a maintenance base for the farm, which will employ about 120 people for its 30-year life, will keep the skills in the town.

## Not everyone is pleased

Fishing organisations say the farm has closed grounds that their members used for generations, and that compensation has been slow. An agreement signed last year allows static gear such as lobster pots between the turbines, but not trawling.

“The sea is big, but the good grounds are not,” said Erik Solberg, who skippers a trawler out of Westhaven. “They gave us a map and a cheque. Neither catches fish.”

## What it means for prices

The farm sells its power under a fixed-price contract at €58 per megawatt-hour for fifteen years. When market prices are higher, the difference goes back to consumers through a levy on bills; when they are lower, consumers make up the gap. Analysts expect the contract to save households money on average, but the effect on any single bill will be small.

The grid operator has warned that the onshore connection has spare capacity for this project only. Two further offshore farms planned nearby will need a new high-voltage line, which has yet to receive planning permission."#,
        authors: &[TOMAS],
        section: "energy",
        tags: &["energy", "climate"],
        hours_ago: 27,
        scene: Scene::Wind,
        alt: "Illustration of three large white wind turbines standing in a calm sea, smaller turbines on the horizon under a golden sky.",
        caption: "Eight of North Reach’s 62 turbines are now generating.",
        ..NEWS
    },
    DemoArticle {
        headline: "Inflation eases to 2.9% as food prices cool, but rents keep climbing",
        standfirst: "Consumer prices rose at their slowest pace in almost three years. Tenants have yet to feel the relief.",
        body: r#"Inflation fell to 2.9% last month, its lowest level since the summer before last, as the prices of food and energy rose more slowly, the statistics office said.

The figure was slightly below economists’ forecasts of 3.1% and will strengthen the case for the central bank to cut interest rates at its next meeting, although policymakers have warned against moving too early.

## Food and fuel

Food prices rose 2.2% on a year earlier, down from 7.8% a year ago and a peak of more than 14% during the worst of the energy crisis. Dairy products and vegetables became cheaper over the month, while the price of coffee and chocolate continued to climb because of poor harvests abroad.

Energy prices were 4% lower than a year ago, helped by a milder winter and by new fixed-price contracts that took effect in January.

> “For most households the worst is over. Prices are still much higher than three years ago, but they are no longer running away from wages.”
>
> — Farid Benali, chief economist at Meridian Bank

Average wages rose 4.6% over the same period, meaning that pay is now growing faster than prices for the seventh month in a row.

## Rents are the exception

Housing costs tell a different story. Rents rose 6.4% on a year earlier, the fastest increase since the series began in 2005, and now account for almost a quarter of the rise in consumer prices.

Economists blame the slowdown in house building since interest rates went up, and the growth in short-term lets in the largest cities. New rental contracts in the capital were 9% more expensive than a year ago.

Tenant associations said the headline figure gave a misleading picture for renters, many of whom spend more than a third of their income on housing. The housing ministry said 14,000 new rental homes would be completed this year, but building permits fell by a fifth last year, which points to fewer completions later in the decade.

## What happens next

Markets now expect two quarter-point cuts in interest rates before the end of the year. The central bank’s governor, Helena Storm, said last month that the bank would need to see “several months of evidence” that inflation was settling close to its 2% target before acting."#,
        authors: &[PRIYA],
        section: "economy",
        tags: &["cost-of-living", "housing"],
        hours_ago: 40,
        scene: Scene::Prices,
        alt: "Illustration of a bar chart rising across a golden sky with a red trend line, above a row of small white houses.",
        caption: "Rents rose 6.4% in a year, the fastest increase on record.",
        ..NEWS
    },
    DemoArticle {
        headline: "Exporters brace for new customs checks as border rules change in July",
        standfirst: "Digital declarations become compulsory for every lorry crossing the eastern border. Small firms say they are not ready.",
        body: r#"From 1 July every consignment crossing the eastern border will need a digital customs declaration filed before the lorry leaves the warehouse, under rules agreed with neighbouring countries last year. Paper documents will no longer be accepted.

Customs officials say the change will cut waiting times at the border by letting officers check paperwork before a lorry arrives and wave through most consignments without stopping them. Freight companies fear the first weeks will bring the opposite.

> “The big hauliers have had software in place for months. It is the small exporter with three lorries a week who will be standing at the border on the second of July wondering why the barrier will not lift.”
>
> — Pieter de Wit, director of the Freight Transport Association

## Who is affected

About 22,000 businesses send goods across the eastern border at least once a year, according to the customs agency, but fewer than half have so far registered for the new system. Most of those that have not are small firms trading in food, furniture and machine parts.

The agency has offered free training sessions and a simplified online form for firms that export fewer than 50 consignments a year. It says the registration process takes about a week, so firms that start in June may still be ready in time.

## Costs and delays

Customs brokers, who file declarations on behalf of exporters, say their fees have risen by up to a third since the rules were announced, because of the extra work involved. For a small firm sending one lorry a week, that can add several thousand euros a year.

Lorry drivers fear queues in the first weeks. During a trial at one crossing in the spring, waiting times briefly doubled when the system went offline for two hours.

“When it works, it is better than the old way,” said Marta Kovács, who drives for a firm carrying fresh vegetables across the border three times a week. “When it does not, I have a lorry full of lettuce and nowhere to go.”

The customs agency said it would keep paper declarations as an emergency backup if the system fails, and has hired 300 more officers for the summer."#,
        authors: &[PRIYA],
        section: "trade",
        tags: &["trade"],
        hours_ago: 112,
        scene: Scene::Border,
        alt: "Illustration of three lorries queueing on a road towards a customs checkpoint with a striped barrier.",
        caption: "Fewer than half of the firms that export across the eastern border have registered for the new system.",
        ..NEWS
    },
    DemoArticle {
        headline: "Farmers turn to drought-tolerant wheat after a third dry summer",
        standfirst: "Sales of hardier seed varieties have doubled in two years. Growers are also changing when, and how, they plough.",
        body: r#"Farmers in the country’s main grain-growing region are switching to drought-tolerant varieties of wheat in record numbers after three summers in a row with well below average rainfall, seed merchants say.

Sales of the hardier varieties, which put down deeper roots and ripen a week or two earlier, have doubled in two years and now account for about 40% of the winter wheat sown in the region.

> “My grandfather sowed the same wheat for thirty years. I have changed variety twice in three seasons, and I am still not sure I have got it right.”
>
> — Mateo Ruiz, who farms 320 hectares of arable land in the south

## Smaller yields, steadier harvests

The new varieties typically yield a little less than traditional ones in a good year, but far more reliably in a dry one. In field trials last summer they produced 6.1 tonnes per hectare against 4.9 for standard wheat, according to the national crop research institute.

“Farmers are trading a few percent of their best harvests for protection against the worst,” said Dr Lena Hoffmann, an agronomist at the institute. “That is a rational bet when the bad years are coming more often.”

## Changing the soil, too

Seed is only part of the story. More growers are moving to minimum tillage, sowing directly into the stubble of the previous crop instead of ploughing, which helps the soil hold moisture. Others are planting cover crops over winter to protect the ground from drying out and blowing away.

Water is the harder problem. Irrigation licences in the region are already close to the limit set to protect rivers and aquifers, and the water authority has warned that restrictions may be needed again this summer if spring rainfall stays low.

## What it means for bread

The shift is unlikely to affect bread prices directly. The country grows more wheat than it eats, and the price of grain is set largely by world markets. But millers say the new varieties bake slightly differently, and some bakeries have had to adjust their recipes.

The agriculture ministry plans to publish a drought plan for farming in the autumn, including advice on crop choice and a possible insurance scheme for failed harvests."#,
        authors: &[TOMAS],
        section: "economy",
        tags: &["farming", "climate"],
        hours_ago: 160,
        scene: Scene::Fields,
        alt: "Illustration of rolling green and golden fields under a large pale sun, ears of wheat in the foreground.",
        caption: "Drought-tolerant varieties now make up about 40% of the winter wheat sown in the region.",
        ..NEWS
    },
    DemoArticle {
        headline: "The grid, not the turbines, is now the energy transition’s bottleneck",
        standfirst: "More than 70 gigawatts of wind and solar projects are waiting to be connected. Building the lines to carry their power has become the slowest part of the job.",
        body: r#"A decade ago the question was whether wind and solar power could ever be cheap enough. That argument is over: new onshore wind and large solar farms now produce electricity more cheaply than new gas plants. The question today is more mundane, and harder to fix. How do you get the power from where it is made to where it is used?

At the end of last year, projects with a combined capacity of 72 gigawatts were waiting in the grid operator’s connection queue, more than four times the country’s peak demand. Some have been told they will not be connected until the late 2030s.

## A ten-year wait for a two-year project

A solar farm can be built in eighteen months. A high-voltage line takes ten years or more from first sketch to first power, of which construction is often the shortest part. Most of the time goes on planning, objections and the procurement of equipment that is in short supply worldwide.

> “We can connect what is already in the ground. The difficulty is that we are being asked to plan for a system twice the size of today’s, and the rules for building it were written for a system that barely changed.”
>
> — Viktor Halvorsen, head of planning at the national grid operator

## The cost of waiting

When lines are full, wind farms are paid to switch off and gas plants nearer the cities are paid to switch on. The grid operator spent €1.3 billion on such payments last year, a figure that has tripled in five years and ends up on every household’s bill.

There are cheaper fixes at the margin. Sensors that measure how much a line can safely carry on a cold, windy day can raise its capacity by 10% to 30%. Batteries placed at bottlenecks can store power that would otherwise be wasted. Neither removes the need for new lines.

## What would change things

The government has proposed to cut planning times for grid projects by half, by treating them as being of overriding public interest and limiting the rounds of appeal. The bill has been stuck in committee since the autumn, as the coalition partners argue over how much say local councils should keep.

Whoever governs after the next election will inherit the same queue. The parties’ manifestos will show whether any of them is willing to spend political capital on pylons, which few voters want to see, to get the cheap power that most of them say they want."#,
        genre: Genre::Analysis,
        authors: &[TOMAS, PRIYA],
        section: "energy",
        tags: &["energy"],
        hours_ago: 232,
        scene: Scene::Grid,
        alt: "Illustration of lattice electricity pylons carrying power lines across green hills, wind turbines on the ridge behind.",
        caption: "Projects with a combined capacity of 72 gigawatts are waiting for a grid connection.",
        ..NEWS
    },
];
