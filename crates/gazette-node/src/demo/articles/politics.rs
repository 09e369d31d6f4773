//! Politics, Elections and City Hall.

use gazette_core::Genre;

use super::{DemoArticle, NEWS};
use crate::demo::art::Scene;
use crate::demo::catalogue::{AMARA, INES, YUKI};

pub(super) const ARTICLES: &[DemoArticle] = &[
    DemoArticle {
        headline: "Prime minister calls snap election for 14 June after coalition talks collapse",
        standfirst: "Elena Marsh will ask voters for a new mandate after her junior partner walked out over pensions. The campaign will last six weeks, the shortest the law allows.",
        body: r#"Prime Minister Elena Marsh will ask voters for a new mandate on 14 June, after three weeks of talks to rescue her governing coalition ended without agreement late last night.

Speaking outside her office shortly after midnight, Ms Marsh said she had asked the president to dissolve parliament and that she would lead her Social Alliance into the campaign “with a plan, not a patchwork”.

> “Governing is about choices. We offered our partners a fair budget and they chose to walk away. Now the country will choose.”
>
> — Elena Marsh, prime minister

The coalition, formed 19 months ago, had been under strain since the autumn, when the smaller Green Renewal party objected to cuts in the rail maintenance budget. The final break came over pensions: Green Renewal refused to back a plan to link the retirement age to life expectancy from 2030, calling it “a tax on people who work with their hands”.

## A short campaign

It will be the first June election in more than three decades. Parties will have six weeks to campaign, the minimum the constitution allows, and the electoral commission said it would publish the official timetable within 48 hours. Candidates must register by the end of the month.

Opposition leader Tobias Lindgren welcomed the vote but accused the government of wasting a year.

> “They spent nineteen months arguing with each other. We will spend six weeks talking to the people who paid for it.”
>
> — Tobias Lindgren, leader of the Civic Union

Polls suggest a close race. The Gazette’s polling average puts Mr Lindgren’s Civic Union on 31%, the Social Alliance on 29% and Green Renewal on 12%, with four smaller parties sharing the rest. No party has won an outright majority since 1998, so the shape of the next coalition may matter more than the winner.

## What happens to the budget

Until a new government is formed, ministers stay in office with limited powers. The finance ministry confirmed that spending will continue month by month at last year’s levels, which means no new programme can start before the autumn.

Among the measures now on hold are the pay rise promised to teachers in January, the second phase of the hospital building programme and the tax relief for first-time home buyers that Ms Marsh announced only last month.

Green Renewal’s leader, Jonas Ekberg, said his party was “ready to govern with anyone who can count to 2040”, a reference to the pension fund’s long-term projections.

*This article was updated with the opposition’s response and the latest polling figures.*"#,
        authors: &[INES, YUKI, AMARA],
        section: "elections",
        tags: &["elections", "public-spending"],
        hours_ago: 4,
        updated_minutes_later: Some(95),
        sticky: true,
        scene: Scene::Ballot,
        alt: "Illustration of a ballot paper marked with a tick being slipped into a white ballot box, a domed assembly building behind it at dawn.",
        caption: "Voters will go to the polls on 14 June, the first summer election in more than thirty years.",
        ..NEWS
    },
    DemoArticle {
        headline: "Night buses are here to stay as council backs a permanent network",
        standfirst: "Six overnight routes become permanent from March, with buses every 20 minutes on the busiest lines. Critics say the money would be better spent on daytime services.",
        body: r#"The city council voted 31 to 9 last night to make its overnight bus trial permanent, ending two years of uncertainty for the nurses, cleaners, bakers and bar staff who have come to rely on it.

From March, six night routes will run every night of the week between midnight and 5am. The busiest, between the harbour and the airport, will run every 20 minutes; the others every 30.

> “The city does not stop at midnight, so neither should its buses. Every person on the N1 at three in the morning is going to work or coming home from it.”
>
> — Rosa Delgado, chair of the transport committee

## Busier than expected

The trial carried 1.2 million passengers in its second year, up from 700,000 in its first. Surveys on board found that two in three riders were travelling to or from a job, and that almost half had no car.

Fares will stay the same as during the day, and monthly passes will be valid at night at no extra cost. Every bus will carry a second member of staff after 1am, a condition the drivers’ union set for agreeing to the new rotas.

| Route | Between | Every | Passengers a night (trial) |
|---|---|---|---|
| N1 | Harbour – Airport | 20 min | 1,450 |
| N2 | Central Station – Eastfield | 30 min | 820 |
| N3 | Old Town – Riverside Hospital | 30 min | 760 |
| N4 | University – Northgate | 30 min | 690 |
| N5 | Market Square – Westmoor | 30 min | 410 |
| N6 | Central Station – Lakeside | 30 min | 380 |

## The cost

Running the network will cost an estimated €4.8 million a year, of which fares are expected to cover about a third. The rest will come from the city’s transport budget, which the council raised by 2% in December.

Councillor Martin Kowalski, who voted against, said he supported night buses in principle but not at the expense of daytime routes in the outer districts.

“We are cutting a bus to the hospital at two in the afternoon so that we can run one past the nightclubs at two in the morning,” he said. The transport department said no daytime route would lose services as a result of the vote.

The council will review the N5 and N6, the least used routes, after a year."#,
        authors: &[AMARA],
        section: "city-hall",
        tags: &["transport", "public-spending"],
        hours_ago: 11,
        scene: Scene::Transit,
        alt: "Illustration of a red bus with lit windows driving past a city skyline at night, headlights cutting across the road.",
        caption: "The six overnight routes carried 1.2 million passengers in the second year of the trial.",
        ..NEWS
    },
    DemoArticle {
        headline: "Why the budget fight is really about pensions",
        standfirst: "The row that brought down the government was not about this year’s spending cap. It was about who pays for an ageing country, and nobody has a painless answer.",
        body: r#"On the surface, the coalition fell apart over a spending cap: how much the government may spend next year, and on what. Underneath, the argument was about a line in the budget that grows faster than any other, and that no party likes to talk about during a campaign.

Pensions now take 31 cents of every euro the state spends, up from 24 cents fifteen years ago. On the finance ministry’s own projections they will take 36 cents by 2035, unless something changes.

## Three levers, all unpopular

There are only a handful of ways to close that gap, and each of them lands on someone:

- **Raise the retirement age.** Linking it to life expectancy, as the Social Alliance proposed, would save about €2.1 billion a year by 2035, but hits hardest those who started work young in physically demanding jobs.
- **Change how pensions rise.** Indexing them to prices rather than wages would save more, and faster, but would leave pensioners steadily poorer relative to everyone else.
- **Raise contributions.** Adding one percentage point to payroll contributions would raise about €1.6 billion a year, paid for by workers and employers at a time when wages are only just recovering from inflation.

> “Every option moves money from one generation to another. The honest debate is about which generation, and how fast.”
>
> — Margit Sørensen, actuary and former adviser to the pensions board

## Why now

Two things have turned a slow-moving problem into an urgent one. The large cohorts born in the early 1960s are retiring now, and the fund that smoothed payments through the last decade will be exhausted, on current rules, by 2029.

That is why Green Renewal’s walkout mattered so much. The party did not oppose reform as such; it wanted the savings to come from contributions on high earners rather than from the retirement age. The two positions were perhaps €600 million a year apart, which is a small sum in a budget of €240 billion, but a large one in symbolism.

## What to watch in the campaign

Expect every party to promise to “protect pensions”. The more useful question for voters is what each plans to do about the fund in 2029, and whether its costings survive a look at the ministry’s tables. We will publish an analysis of the parties’ manifestos as soon as they are released."#,
        genre: Genre::Analysis,
        authors: &[INES],
        section: "politics",
        tags: &["public-spending"],
        hours_ago: 2,
        scene: Scene::Parliament,
        alt: "Illustration of a columned parliament building at dawn, a rising line climbing behind it and stacks of coins to one side.",
        caption: "Pensions now account for almost a third of all public spending, and their share is rising.",
        ..NEWS
    },
    DemoArticle {
        headline: "Pollster Mariam Haddad: ‘Young voters are not apathetic, they are unconvinced’",
        standfirst: "Turnout among under-25s fell to 48% at the last election. The head of the Civic Pulse Institute explains why, and what might bring them back.",
        body: r#"Mariam Haddad has spent fifteen years asking people how they will vote and, more often lately, why they will not. Her institute’s survey of 4,000 first-time voters, published this spring, is required reading in every campaign headquarters. We spoke to her as talks to save the governing coalition entered their third week.

**If the talks fail, the constitution allows a campaign as short as six weeks. Who would that help?**

Parties with a well-known brand and a loyal base, so the two big ones. Short campaigns reward people who have already made up their minds. The voters who decide late, and young voters are heavily among them, simply get less time to be persuaded.

**Your survey found that only 48% of under-25s voted last time. Are they switching off?**

That is the lazy reading. When we ask them, they follow the news as much as their parents did, they sign petitions, they volunteer. What they do not do is believe that a vote for any particular party will change the things they care about. That is not apathy. It is a judgement, and you may think it is the wrong one, but it is a judgement.

> “Young people are not waiting to be inspired. They are waiting for someone to show them the arithmetic.”
>
> — Mariam Haddad, director of the Civic Pulse Institute

**What do they care about?**

Housing, by a distance. Then the climate, then the cost of living generally. Pensions come almost last, which is interesting given that they are what the coalition is fighting about. Young voters understand that pension reform is about them too, but nobody has explained it to them in terms of their own future.

**Could a party win them over in six weeks?**

Not with a slogan. In our focus groups the thing that moved people was specificity: a number of homes, a date, a named budget line. The moment a politician said “we will look at” something, they were gone.

**Are polls still reliable?**

Reliable enough, if you read them properly. A single poll has a margin of error of about three points either way, so a one-point lead means nothing. Look at the average, look at the trend, and be very careful with any poll that does not publish its method.

**Your prediction?**

I never make one. I will tell you this: the party that finds the three or four percent of young voters who have not yet decided will very likely lead the next government."#,
        genre: Genre::Interview,
        authors: &[YUKI],
        section: "elections",
        tags: &["elections"],
        hours_ago: 52,
        scene: Scene::Microphone,
        alt: "Illustration of a studio microphone between two speech bubbles, one pale and one red, against a dusky background.",
        caption: "Mariam Haddad’s institute surveyed 4,000 first-time voters this spring.",
        ..NEWS
    },
    DemoArticle {
        headline: "Hospital waiting lists fall for the first time in four years",
        standfirst: "Just over 412,000 patients are waiting for planned treatment, 6% fewer than a year ago. Nurses warn that the gains rest on overtime that cannot last.",
        body: r#"The number of people waiting for planned hospital treatment has fallen for the first time in four years, according to figures published by the health ministry this week.

At the end of last month 412,300 patients were on a waiting list for operations such as hip replacements, cataract surgery and hernia repairs, down from 438,900 a year earlier. The number waiting longer than a year fell by almost a third, to 18,700.

## Evening and weekend lists

Most of the improvement came from evening and weekend operating lists, introduced in eleven hospitals last spring, and from two new surgical centres that handle routine procedures away from busy emergency departments.

> “We said waiting lists would start to fall within a year, and they have. There is a long way to go, but patients are being seen sooner than at any time since the pandemic.”
>
> — Grace Adeyemi, health minister

Ms Adeyemi said the second phase of the hospital building programme, which still needs parliament’s approval, would add four more surgical centres by 2028.

## Strain on staff

Nurses’ representatives welcomed the figures but said they had been achieved largely through overtime. Tom Whitaker, who speaks for nurses at the largest union, said some theatre staff had worked more than 60 extra hours a month through the winter.

“You cannot run a health service on goodwill and tiredness,” he said. “These lists came down because people gave up their weekends. Unless we recruit, they will go back up.”

The ministry said 2,100 more nurses were working in hospitals than a year ago, but vacancies remain high, at about one post in twelve, and are highest in operating theatres and intensive care.

## Emergency care lags

The picture in emergency departments is less encouraging. Just 71% of patients were seen within four hours last month, against a target of 85%, and ambulance handover times rose in six of the eight regions.

Health economists say the two are linked: when hospitals are full, patients wait in emergency departments for a bed, and ambulances wait outside to hand them over. Freeing beds depends as much on care homes and home nursing as on hospitals themselves, and neither was part of the programme that brought planned waits down."#,
        authors: &[AMARA],
        section: "politics",
        tags: &["health", "public-spending"],
        hours_ago: 185,
        scene: Scene::Hospital,
        alt: "Illustration of a white hospital building with rows of windows and a round emblem on its roof, a heartbeat line running across the foreground.",
        caption: "Evening and weekend operating lists were introduced in eleven hospitals last spring.",
        ..NEWS
    },
];
