//! Opinion: the one column in the demo.

use gazette_core::Genre;

use super::{DemoArticle, NEWS};
use crate::demo::art::Scene;
use crate::demo::catalogue::SOFIA;

pub(super) const ARTICLES: &[DemoArticle] = &[DemoArticle {
    headline: "Our libraries deserve more than warm words",
    standfirst: "Every politician praises libraries. Very few budgets show it, and the people who lose most when the doors close are the ones with nowhere else to go.",
    body: r#"Every politician I have ever met loves libraries. They love them in speeches, in campaign leaflets and in photographs with a stack of picture books and a class of seven-year-olds. What they love less is paying for them.

I worked in public libraries for nineteen years before I started writing this column, and I watched opening hours cut three times. Each cut was small, and each was explained as a necessary sacrifice in a difficult year. Together they mean that the branch where I started now opens on four days a week instead of six, and closes at five, before most people have left work.

## Who is in the reading room

It is worth remembering who uses a library on a weekday afternoon. The retired man who reads every newspaper because he cannot afford to buy one. The teenager who does homework there because there is no quiet corner at home. The woman applying for jobs on a public computer, because the application forms are online only and her phone screen is cracked. The new arrival learning the language from children’s books, a few pages ahead of her daughter.

None of them will write to a minister when the hours are cut. Most will simply stop coming, and the visitor numbers that fall as a result will be used to justify the next round of cuts.

## Cheap, and getting cheaper to cut

Libraries cost very little. The whole public library service costs about €18 per resident per year, less than a single hardback novel. That is exactly what makes them vulnerable: when a council needs to find savings quickly, a cut to libraries is small enough to pass without a fight and large enough to count.

But the arithmetic runs the other way too. A library that opens in the evening costs a little more in staff and heating. In return it gives a town a warm room, a free internet connection, a place to learn and a place to meet that asks nothing of the people who walk in, not even that they buy a coffee. I cannot think of any other public service that does so much with so little.

## What the campaign should promise

Over the next six weeks we will hear a great deal about schools, hospitals and pensions, as we should. I would settle for one modest commitment from each party: that no library will open for fewer hours at the end of the next parliament than it does today.

It would cost a few million euros a year. It would not win an election. But it would show that the warm words were meant."#,
    genre: Genre::Opinion,
    authors: &[SOFIA],
    section: "opinion",
    tags: &["public-spending"],
    hours_ago: 14,
    scene: Scene::Books,
    alt: "Illustration of a bookcase full of coloured books, lit by a reading lamp beside a tall window.",
    caption: "Opening hours at public libraries have been cut three times in ten years.",
    ..NEWS
}];
