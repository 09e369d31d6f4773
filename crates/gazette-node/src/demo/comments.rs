//! The demo's reader comments: a few approved threads, written by us, so that a new journal
//! shows threads under its articles, a comments feed with something in it, and moderation
//! tools with work already done. Commenters' addresses are on `example.org`, reserved for
//! examples.

/// One reader comment and the replies to it.
#[derive(Debug)]
pub(super) struct DemoComment {
    pub(super) author: &'static str,
    /// The part before `@example.org`.
    pub(super) mailbox: &'static str,
    pub(super) body: &'static str,
    pub(super) replies: &'static [DemoComment],
}

/// The threads under one demo article, found by its headline.
#[derive(Debug)]
pub(super) struct DemoThreads {
    pub(super) headline: &'static str,
    pub(super) threads: &'static [DemoComment],
}

const fn comment(
    author: &'static str,
    mailbox: &'static str,
    body: &'static str,
    replies: &'static [DemoComment],
) -> DemoComment {
    DemoComment {
        author,
        mailbox,
        body,
        replies,
    }
}

pub(super) const THREADS: &[DemoThreads] = &[
    DemoThreads {
        headline: "Night buses are here to stay as council backs a permanent network",
        threads: &[
            comment(
                "Priya Natarajan",
                "priya",
                "I work late shifts at the hospital and the N4 has changed my life. Before the \
                 trial I spent a fortune on taxis or slept in the staff room.",
                &[
                    comment(
                        "Tom Reilly",
                        "tom.reilly",
                        "Same here. Does anyone know whether the N4 will keep running on \
                         Sundays once the trial ends?",
                        &[comment(
                            "Priya Natarajan",
                            "priya",
                            "The council's papers say Sundays stay, but only every 40 minutes \
                             after 2 a.m.",
                            &[],
                        )],
                    ),
                    comment(
                        "Hannah Cole",
                        "hannah",
                        "Glad it helps nurses. The stop on Mill Lane still has no shelter, \
                         though.",
                        &[],
                    ),
                ],
            ),
            comment(
                "Graham Whitfield",
                "g.whitfield",
                "Who pays for it once the government grant runs out? The article does not \
                 say.",
                &[],
            ),
        ],
    },
    DemoThreads {
        headline: "Inflation eases to 2.9% as food prices cool, but rents keep climbing",
        threads: &[comment(
            "Aisha Bello",
            "aisha.bello",
            "A clear piece, thank you. The chart of rents against wages says more than a week \
             of speeches about the cost of living.",
            &[comment(
                "Martin Hughes",
                "mhughes",
                "The rent figures are for new tenancies only. Sitting tenants have seen smaller \
                 rises, which is half the story.",
                &[],
            )],
        )],
    },
    DemoThreads {
        headline: "Our libraries deserve more than warm words",
        threads: &[
            comment(
                "Eleanor Park",
                "eleanor",
                "Our branch opens three afternoons a week now. My children do their homework \
                 there because we have no quiet room at home.",
                &[],
            ),
            comment(
                "Dev Malhotra",
                "dev.m",
                "Libraries are also where people without a computer apply for jobs and \
                 benefits. Cutting hours cuts that too.",
                &[comment(
                    "Eleanor Park",
                    "eleanor",
                    "Exactly. The job club at ours is always full.",
                    &[],
                )],
            ),
        ],
    },
];
