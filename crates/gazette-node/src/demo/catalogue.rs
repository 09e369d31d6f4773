//! Who writes the demo journal and how it is organised: authors, sections, tags and the two
//! static pages. The articles themselves live in `articles`.

/// (display name, email, bio). The index constants below name them in bylines.
pub(super) const AUTHORS: &[(&str, &str, &str)] = &[
    (
        "Amara Okafor",
        "amara.okafor@example.org",
        "Amara covers city hall, transport and public services. She joined the Gazette from a \
         regional daily in 2017 and still rides the night bus she writes about.",
    ),
    (
        "Lukas Brenner",
        "lukas.brenner@example.org",
        "Lukas is our Europe correspondent, based in Vienna. He has reported on floods, farm \
         policy and mountain towns in more than twenty countries.",
    ),
    (
        "Inès Laurent",
        "ines.laurent@example.org",
        "Inès is political editor. She writes about parliament, public money and the people \
         who decide how it is spent.",
    ),
    (
        "Tomás Herrera",
        "tomas.herrera@example.org",
        "Tomás covers energy and climate. He trained as a civil engineer before he turned to \
         journalism, and likes a good spreadsheet.",
    ),
    (
        "Priya Raman",
        "priya.raman@example.org",
        "Priya is economics editor. She explains prices, jobs and trade, and keeps a close eye \
         on the central bank.",
    ),
    (
        "Kwame Mensah",
        "kwame.mensah@example.org",
        "Kwame is our Africa correspondent, based in Accra. He writes about infrastructure, \
         trade and the fast-growing cities of West Africa.",
    ),
    (
        "Yuki Tanabe",
        "yuki.tanabe@example.org",
        "Yuki reports on elections and data. She builds the Gazette’s polling average and its \
         results maps.",
    ),
    (
        "Sofia Lindqvist",
        "sofia.lindqvist@example.org",
        "Sofia is a columnist and a former librarian. She writes every other week about \
         culture, education and civic life.",
    ),
];

pub(super) const AMARA: usize = 0;
pub(super) const LUKAS: usize = 1;
pub(super) const INES: usize = 2;
pub(super) const TOMAS: usize = 3;
pub(super) const PRIYA: usize = 4;
pub(super) const KWAME: usize = 5;
pub(super) const YUKI: usize = 6;
pub(super) const SOFIA: usize = 7;

/// (slug, name, description, parent slug); parents come before their children.
pub(super) const SECTIONS: &[(&str, &str, &str, Option<&str>)] = &[
    (
        "world",
        "World",
        "Reporting from our correspondents abroad.",
        None,
    ),
    (
        "europe",
        "Europe",
        "From the Atlantic to the Black Sea.",
        Some("world"),
    ),
    (
        "africa",
        "Africa",
        "Cities, trade and infrastructure across the continent.",
        Some("world"),
    ),
    (
        "politics",
        "Politics",
        "Parliament, government and the public purse.",
        None,
    ),
    (
        "elections",
        "Elections",
        "Campaigns, polls and results.",
        Some("politics"),
    ),
    (
        "city-hall",
        "City Hall",
        "How the city is run, and for whom.",
        Some("politics"),
    ),
    (
        "economy",
        "Economy",
        "Prices, jobs, business and trade.",
        None,
    ),
    (
        "energy",
        "Energy",
        "Power, fuel and the shift to renewables.",
        Some("economy"),
    ),
    (
        "trade",
        "Trade",
        "Ports, borders and the goods that cross them.",
        Some("economy"),
    ),
    (
        "opinion",
        "Opinion",
        "Columns and comment. The views are the writers’ own.",
        None,
    ),
];

/// (slug, name)
pub(super) const TAGS: &[(&str, &str)] = &[
    ("elections", "Elections"),
    ("public-spending", "Public spending"),
    ("transport", "Transport"),
    ("climate", "Climate"),
    ("energy", "Energy"),
    ("housing", "Housing"),
    ("cost-of-living", "Cost of living"),
    ("trade", "Trade"),
    ("farming", "Farming"),
    ("health", "Health"),
];

/// (slug, title, Markdown body)
pub(super) const PAGES: &[(&str, &str, &str)] = &[
    (
        "about",
        "About us",
        r#"We are an independent online journal of news, analysis and opinion, written by a small newsroom and a wider circle of correspondents abroad.

## What we do

We report on politics, the economy and the world with one aim: to tell readers what happened, why it matters and what remains unknown. Our news pages are kept apart from our opinion pages, and every article says which of the two it is.

## How we work

- **We name our sources** wherever we can, and explain why when we cannot.
- **We correct our mistakes openly.** A correction note sits at the foot of any article we have fixed, saying what was wrong.
- **We mark significant updates** with the time they were made, so a developing story never quietly changes under you.
- **We take no money from the people we cover.** Our journalism is paid for by readers and by advertising that is always labelled as such.

## Who we are

Our editors and reporters are listed on their author pages, each with the stories they have written. Letters, tips and complaints are welcome: see the contact page."#,
    ),
    (
        "contact",
        "Contact",
        r#"## Newsroom

Tips, story ideas and press releases: **newsroom@example.org**

If what you want to tell us is sensitive, say so in your first message and an editor will reply with a safer way to talk.

## Corrections

Spotted a mistake? Write to **corrections@example.org** with a link to the article. We answer every message and publish a correction when we got something wrong.

## Letters and opinion

Letters for publication, up to 250 words: **letters@example.org**. Opinion pitches go to **opinion@example.org**; tell us in two sentences what you want to argue and why you are the person to argue it.

## Offices

- **Main newsroom:** 14 Harbour Street, 3rd floor (visitors by appointment)
- **Europe desk:** Vienna, **europe@example.org**
- **Africa desk:** Accra, **africa@example.org**

## Advertising and partnerships

**partners@example.org**"#,
    ),
    (
        "privacy-policy",
        "Privacy policy",
        r#"## What we keep when you comment

To comment you give us a name, an email address and, if you like, a website. We also keep the network address your comment came from and the name of your browser. The name, website and text are published with your comment. **Your email address is never published**, not even in disguise: the little picture beside your comment is drawn from a secret key, not from a hash of your address that others could look up.

We use your email address and network address only to moderate comments and fight spam. Network addresses are deleted after 30 days.

## Cookies

If you tick the box under the form, your browser remembers your name, email and website for the next time; nothing is sent to us until you comment. After you comment, a cookie lets you see your comment while it waits for a moderator. We use no advertising or tracking cookies.

## Your data

Write to **privacy@example.org** to receive a copy of the comments you wrote or to have your name, email and network address removed from them."#,
    ),
];
