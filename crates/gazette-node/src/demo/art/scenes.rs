//! One drawing function per [`Scene`], in the 1200×675 viewBox: the dispatch and the scenes of
//! people and buildings here, open landscapes in `landscapes`. Each scene draws with its
//! palette only, so a section's pictures belong together.

use super::landscapes::{border, fields, flood, grid, mountains, port, solar, wind};
use super::{Canvas, Scene};

pub(super) fn draw_scene(c: &mut Canvas, scene: Scene) {
    match scene {
        Scene::Ballot => ballot(c),
        Scene::Transit => transit(c),
        Scene::Flood => flood(c),
        Scene::Wind => wind(c),
        Scene::Prices => prices(c),
        Scene::Parliament => parliament(c),
        Scene::Solar => solar(c),
        Scene::Port => port(c),
        Scene::Border => border(c),
        Scene::Mountains => mountains(c),
        Scene::Microphone => microphone(c),
        Scene::Fields => fields(c),
        Scene::Hospital => hospital(c),
        Scene::Books => books(c),
        Scene::Grid => grid(c),
    }
}

/// A ballot paper going into a ballot box, an assembly dome behind, papers drifting.
fn ballot(c: &mut Canvas) {
    let p = c.p;
    let sun_x = c.rand(150, 1050);
    c.sun(sun_x, 150, 55);
    draw!(
        c,
        r#"<g fill="{}" opacity=".6"><circle cx="600" cy="380" r="130"/><rect x="360" y="370" width="480" height="110"/><rect x="592" y="200" width="16" height="60"/></g>"#,
        p.far
    );
    c.hills(480, 10, p.mid, "1");
    draw!(
        c,
        r#"<rect y="575" width="1200" height="100" fill="{}"/>"#,
        p.near
    );
    for _ in 0..7 {
        let (x, y, turn) = (c.rand(60, 1140), c.rand(40, 300), c.rand(-40, 40));
        if (380..820).contains(&x) {
            continue;
        }
        draw!(
            c,
            r#"<rect x="{x}" y="{y}" width="34" height="46" rx="3" fill="{}" opacity=".75" transform="rotate({turn} {x} {y})"/>"#,
            p.light
        );
    }
    draw!(
        c,
        r##"<rect x="430" y="330" width="340" height="270" rx="14" fill="{light}"/><rect x="430" y="440" width="340" height="56" fill="{accent}"/><rect x="410" y="300" width="380" height="44" rx="10" fill="{mid}"/><rect x="530" y="314" width="140" height="14" rx="7" fill="{near}"/><g transform="rotate(-5 600 321)"><rect x="545" y="150" width="110" height="171" rx="4" fill="#fff"/><path d="M572 235l22 24 40-52" fill="none" stroke="{accent}" stroke-width="11" stroke-linecap="round" stroke-linejoin="round"/></g><rect x="530" y="321" width="140" height="7" fill="{near}"/>"##,
        light = p.light,
        accent = p.accent,
        mid = p.mid,
        near = p.near
    );
}

/// A night bus crossing the city, its skyline lit window by window.
fn transit(c: &mut Canvas) {
    let p = c.p;
    let moon_x = c.rand(800, 1100);
    c.sun(moon_x, 110, 34);
    draw!(
        c,
        r#"<defs><pattern id="lit" width="26" height="32" patternUnits="userSpaceOnUse"><rect x="8" y="8" width="10" height="14" fill="{}" opacity=".8"/></pattern></defs><g fill="{}" opacity=".7">"#,
        p.glow,
        p.far
    );
    skyline(c, 120, 280, 0);
    draw!(c, r#"</g><g fill="{}">"#, p.mid);
    skyline(c, 70, 200, 60);
    draw!(
        c,
        r#"</g><rect y="540" width="1200" height="135" fill="{near}"/><path d="M0 612H1200" stroke="{light}" stroke-width="5" stroke-dasharray="44 30" opacity=".5"/><path d="M0 585C300 575 700 600 1200 580M0 650C400 640 800 660 1200 645" fill="none" stroke="{accent}" stroke-width="3" opacity=".6"/>"#,
        near = p.near,
        light = p.light,
        accent = p.accent
    );
    let bus = c.rand(120, 640);
    draw!(
        c,
        r#"<path d="M{} 515L{} 470V590Z" fill="{glow}" opacity=".3"/><g transform="translate({bus} 450)"><rect width="320" height="100" rx="16" fill="{accent}"/><rect x="18" y="16" width="284" height="38" rx="6" fill="{light}" opacity=".9"/><path d="M80 16V54M140 16V54M200 16V54M260 16V54" stroke="{accent}" stroke-width="6"/><rect x="18" y="66" width="284" height="6" fill="{light}" opacity=".5"/><g fill="{near}"><circle cx="70" cy="100" r="20"/><circle cx="250" cy="100" r="20"/></g><g fill="{light}"><circle cx="70" cy="100" r="7"/><circle cx="250" cy="100" r="7"/></g></g>"#,
        bus + 318,
        bus + 560,
        glow = p.glow,
        accent = p.accent,
        light = p.light,
        near = p.near
    );
}

/// A row of buildings along y = 470 (offset by `lift`), with lit windows on the nearer row.
fn skyline(c: &mut Canvas, low: i32, high: i32, lift: i32) {
    let mut x = c.rand(-40, 0);
    while x < 1200 {
        let (w, h) = (c.rand(60, 120), c.rand(low, high));
        let y = 470 + lift - h;
        draw!(
            c,
            r#"<rect x="{x}" y="{y}" width="{w}" height="{}"/>"#,
            h + 20
        );
        if lift > 0 {
            draw!(
                c,
                r#"<rect x="{}" y="{}" width="{}" height="{}" fill="url(#lit)"/>"#,
                x + 4,
                y + 6,
                w - 8,
                h - 20
            );
        }
        x += w + c.rand(6, 30);
    }
}

/// Rising bars and a trend line over a row of houses.
fn prices(c: &mut Canvas) {
    let p = c.p;
    let sun_x = c.rand(900, 1100);
    c.sun(sun_x, 120, 45);
    c.hills(470, 15, p.far, ".8");
    draw!(
        c,
        r#"<path d="M100 190H1100M100 260H1100M100 330H1100M100 400H1100" stroke="{}" stroke-width="2" stroke-dasharray="6 10" opacity=".6"/><g fill="{}" opacity=".85">"#,
        p.light,
        p.mid
    );
    let mut tops = Vec::new();
    for i in 0..9 {
        let (x, h) = (150 + i * 100, 90 + i * 28 + c.rand(-25, 25));
        draw!(
            c,
            r#"<rect x="{x}" y="{}" width="60" height="{h}"/>"#,
            480 - h
        );
        tops.push((x + 30, 480 - h - 30));
    }
    draw!(c, r#"</g><path d="M"#);
    for (x, y) in &tops {
        draw!(c, "{x} {y} ");
    }
    draw!(
        c,
        r#"" fill="none" stroke="{}" stroke-width="6" stroke-linejoin="round"/><rect y="540" width="1200" height="135" fill="{}"/>"#,
        p.accent,
        p.near
    );
    for i in 0..7 {
        let (x, w, h) = (
            30 + i * 170 + c.rand(-10, 20),
            c.rand(80, 110),
            c.rand(60, 100),
        );
        c.house(x, 560, w, h, p.light, p.accent);
    }
}

/// A columned assembly building, a rising line and stacks of coins.
fn parliament(c: &mut Canvas) {
    let p = c.p;
    let sun_x = c.rand(450, 750);
    c.sun(sun_x, 160, 70);
    draw!(c, r#"<path d="M"#);
    for i in 0..12 {
        let y = 440 - i * 26 + c.rand(-30, 30);
        draw!(c, "{} {y} ", 60 + i * 95);
    }
    draw!(
        c,
        r#"" fill="none" stroke="{}" stroke-width="8" opacity=".45" stroke-linejoin="round"/><g fill="{}"><path d="M330 300L600 200L870 300Z"/><rect x="340" y="300" width="520" height="30"/>"#,
        p.accent,
        p.light
    );
    for i in 0..8 {
        draw!(
            c,
            r#"<rect x="{}" y="330" width="30" height="190"/>"#,
            368 + i * 66
        );
    }
    draw!(
        c,
        r#"</g><path d="M390 288L600 218L810 288Z" fill="{}" opacity=".35"/><rect x="340" y="520" width="520" height="20" fill="{}"/><rect x="320" y="540" width="560" height="20" fill="{}"/><rect x="300" y="560" width="600" height="20" fill="{}"/><rect y="580" width="1200" height="95" fill="{}"/><g fill="{}" stroke="{}" stroke-width="3">"#,
        p.accent,
        p.far,
        p.mid,
        p.far,
        p.near,
        p.accent,
        p.near
    );
    for stack in 0..3 {
        let (x, coins) = (960 + stack * 70, c.rand(3, 9));
        for k in 0..coins {
            draw!(
                c,
                r#"<ellipse cx="{x}" cy="{}" rx="28" ry="9"/>"#,
                572 - k * 13
            );
        }
    }
    draw!(c, "</g>");
}

/// A microphone between two speech bubbles.
fn microphone(c: &mut Canvas) {
    let p = c.p;
    let ring = c.rand(260, 320);
    draw!(
        c,
        r#"<circle cx="600" cy="337" r="{ring}" fill="{far}" opacity=".3"/><rect y="600" width="1200" height="75" fill="{near}"/><rect x="110" y="120" width="380" height="200" rx="40" fill="{light}" opacity=".92"/><path d="M190 318L170 390L260 318Z" fill="{light}" opacity=".92"/><g fill="{mid}" opacity=".35"><rect x="150" y="170" width="300" height="18" rx="9"/><rect x="150" y="210" width="260" height="18" rx="9"/><rect x="150" y="250" width="200" height="18" rx="9"/></g><rect x="720" y="200" width="360" height="180" rx="40" fill="{accent}"/><path d="M1000 378L1040 440L940 378Z" fill="{accent}"/><g fill="{light}" opacity=".6"><rect x="760" y="250" width="280" height="18" rx="9"/><rect x="760" y="290" width="220" height="18" rx="9"/></g><rect x="540" y="240" width="120" height="200" rx="60" fill="{mid}" stroke="{light}" stroke-width="6"/><path d="M556 300H644M550 340H650M556 380H644" stroke="{light}" stroke-width="4" opacity=".5"/><g fill="none" stroke="{light}" stroke-width="10" stroke-linecap="round"><path d="M505 380a95 95 0 0 0 190 0"/><path d="M600 475V570M530 578H670"/></g>"#,
        far = p.far,
        near = p.near,
        light = p.light,
        mid = p.mid,
        accent = p.accent
    );
}

/// A hospital block with an emblem on the roof and a heartbeat line.
fn hospital(c: &mut Canvas) {
    let p = c.p;
    let sun_x = if c.rand(0, 2) == 0 { 160 } else { 1040 };
    c.sun(sun_x, 140, 45);
    c.hills(470, 15, p.far, ".7");
    draw!(
        c,
        r#"<defs><pattern id="win" width="55" height="50" patternUnits="userSpaceOnUse" x="12" y="14"><rect width="30" height="26" fill="{far}" opacity=".6"/></pattern></defs><g fill="{light}"><rect x="380" y="220" width="440" height="320"/><rect x="230" y="330" width="150" height="210"/><rect x="820" y="330" width="150" height="210"/></g><g fill="url(#win)"><rect x="392" y="234" width="416" height="220"/><rect x="242" y="344" width="126" height="150"/><rect x="832" y="344" width="126" height="150"/></g><rect x="560" y="470" width="80" height="70" fill="{mid}"/><rect x="530" y="456" width="140" height="14" fill="{accent}"/><circle cx="600" cy="160" r="48" fill="{mid}"/><path d="M600 130V190M570 160H630" stroke="{light}" stroke-width="18"/><rect y="540" width="1200" height="135" fill="{near}"/>"#,
        far = p.far,
        light = p.light,
        mid = p.mid,
        accent = p.accent,
        near = p.near
    );
    let beat = c.rand(250, 700);
    let line = format!("M0 610H{beat}l20-50 24 95 22-70 16 25H1200",);
    draw!(
        c,
        r#"<path d="{line}" fill="none" stroke="{accent}" stroke-width="18" opacity=".25"/><path d="{line}" fill="none" stroke="{accent}" stroke-width="6" stroke-linejoin="round"/>"#,
        accent = p.accent
    );
    for x in [120, 1080] {
        draw!(
            c,
            r#"<rect x="{}" y="470" width="10" height="70" fill="{}"/><circle cx="{x}" cy="460" r="42" fill="{}"/>"#,
            x - 5,
            p.near,
            p.mid
        );
    }
}

/// A lamp-lit bookcase beside a window.
fn books(c: &mut Canvas) {
    let p = c.p;
    draw!(
        c,
        r#"<rect x="820" y="70" width="280" height="300" fill="{glow}" opacity=".3"/><path d="M960 70V370M820 220H1100" stroke="{mid}" stroke-width="10"/><circle cx="220" cy="110" r="230" fill="url(#glow)"/><path d="M170 60H270L300 120H140Z" fill="{accent}"/><rect x="60" y="330" width="720" height="18" fill="{near}"/><rect x="60" y="560" width="1080" height="18" fill="{near}"/><rect y="578" width="1200" height="97" fill="{near}"/>"#,
        glow = p.glow,
        mid = p.mid,
        accent = p.accent,
        near = p.near
    );
    let colours = [p.accent, p.light, p.far, p.mid, p.glow, p.sky_bottom];
    for (shelf, end) in [(330, 760), (560, 1120)] {
        let mut x = 80 + c.rand(0, 30);
        while x < end - 50 {
            let (w, h) = (c.rand(24, 48), c.rand(120, 190));
            let colour = colours[usize::try_from(c.rand(0, 6)).unwrap_or(0)];
            if c.rand(0, 9) == 0 {
                draw!(
                    c,
                    r#"<rect x="{x}" y="{}" width="{w}" height="{h}" fill="{colour}" transform="rotate(14 {x} {shelf})"/>"#,
                    shelf - h
                );
                x += h / 4;
            } else {
                draw!(
                    c,
                    r#"<rect x="{x}" y="{}" width="{w}" height="{h}" fill="{colour}"/>"#,
                    shelf - h
                );
            }
            x += w + 2;
        }
    }
}
