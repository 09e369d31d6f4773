//! The open-landscape scenes: water, fields, mountains, roads and power lines. Horizons sit
//! around y = 420–480 of the 1200×675 viewBox.

use super::Canvas;

/// River water over the flood barriers below a small town.
pub(super) fn flood(c: &mut Canvas) {
    let p = c.p;
    let sun_x = c.rand(150, 1050);
    c.sun(sun_x, 150, 50);
    c.hills(400, 20, p.far, ".7");
    let tower = c.rand(250, 900);
    draw!(
        c,
        r#"<g fill="{}"><rect x="{tower}" y="330" width="36" height="130"/><path d="M{} 332L{} 250L{} 332Z"/></g>"#,
        p.mid,
        tower - 6,
        tower + 18,
        tower + 42
    );
    for i in 0..10 {
        let (x, w, h) = (
            60 + i * 110 + c.rand(-12, 12),
            c.rand(50, 80),
            c.rand(40, 80),
        );
        c.house(x, 462, w, h, p.mid, p.near);
    }
    draw!(
        c,
        r#"<rect x="40" y="440" width="1120" height="26" fill="{}"/><path d="M40 453H1160" stroke="{}" stroke-width="4" stroke-dasharray="3 37" opacity=".7"/>"#,
        p.accent,
        p.light
    );
    c.waves(478, 12, p.far, ".9");
    c.waves(515, 16, p.mid, ".9");
    c.waves(565, 18, "url(#sea)", "1");
    c.waves(625, 12, p.near, ".8");
    draw!(c, r#"<path d=""#);
    for _ in 0..6 {
        let (x, y, w) = (c.rand(40, 1100), c.rand(500, 660), c.rand(30, 90));
        draw!(c, "M{x} {y}h{w}");
    }
    draw!(
        c,
        r#"" stroke="{}" stroke-width="3" opacity=".45"/>"#,
        p.light
    );
}

/// Offshore wind turbines on a calm sea.
pub(super) fn wind(c: &mut Canvas) {
    let p = c.p;
    let sun_x = c.rand(200, 1000);
    c.sun(sun_x, 170, 55);
    draw!(
        c,
        r#"<rect y="430" width="1200" height="245" fill="url(#sea)"/>"#
    );
    for _ in 0..5 {
        let (x, h, turn) = (c.rand(40, 1160), c.rand(70, 120), c.rand(0, 120));
        c.turbine(x, 432, h, turn, p.far);
    }
    for x in [250, 580, 920] {
        let (x, base, turn) = (x + c.rand(-50, 50), c.rand(510, 560), c.rand(0, 120));
        draw!(
            c,
            r#"<rect x="{}" y="{}" width="22" height="24" fill="{}"/>"#,
            x - 11,
            base - 4,
            p.accent
        );
        c.turbine(x, base, base - 210, turn, p.light);
    }
    c.waves(600, 8, p.water.1, ".7");
    draw!(
        c,
        r#"<path d="M0 560Q180 520 380 640T640 675H0Z" fill="{}"/>"#,
        p.near
    );
}

/// Solar panels and lit huts on a lake shore at sunset.
pub(super) fn solar(c: &mut Canvas) {
    let p = c.p;
    let sun_x = c.rand(350, 850);
    c.sun(sun_x, 390, 70);
    c.hills(430, 12, p.far, ".85");
    draw!(
        c,
        r#"<rect y="455" width="1200" height="220" fill="url(#sea)"/><g fill="{}" opacity=".7">"#,
        p.glow
    );
    for k in 0..6 {
        let w = 180 - k * 26;
        draw!(
            c,
            r#"<rect x="{}" y="{}" width="{w}" height="5" rx="2"/>"#,
            sun_x - w / 2,
            468 + k * 20
        );
    }
    draw!(
        c,
        r#"</g><path d="M0 570Q300 530 620 580T1200 560V675H0Z" fill="{}"/><path d="M120 585L140 520M140 520C120 500 90 505 60 505M140 520C170 495 210 500 230 502" stroke="{}" stroke-width="9" fill="none"/><ellipse cx="150" cy="500" rx="100" ry="20" fill="{}"/>"#,
        p.near,
        p.near,
        p.near
    );
    for i in 0..3 {
        let x = 260 + i * 130;
        draw!(
            c,
            r##"<path d="M{x} 560l20-45h110l-20 45Z" fill="#1b3a5c" stroke="{}" stroke-width="3"/><path d="M{} 560l20-45M{} 538h110" stroke="{}" stroke-width="2" opacity=".6"/>"##,
            p.light,
            x + 55,
            x + 10,
            p.light
        );
    }
    draw!(
        c,
        r#"<path d="M780 520Q870 545 960 522T1140 524" fill="none" stroke="{}" stroke-width="2"/>"#,
        p.mid
    );
    for i in 0..4 {
        let x = 760 + i * 120 + c.rand(-10, 10);
        draw!(
            c,
            r#"<rect x="{x}" y="530" width="70" height="50" fill="{}"/><path d="M{} 532L{} 478L{} 532Z" fill="{}"/><rect x="{}" y="548" width="18" height="16" fill="{}"/>"#,
            p.far,
            x - 10,
            x + 35,
            x + 80,
            p.accent,
            x + 26,
            p.glow
        );
    }
}

/// Gantry cranes over stacked containers and a berthed ship.
pub(super) fn port(c: &mut Canvas) {
    let p = c.p;
    let sun_x = c.rand(150, 1050);
    c.sun(sun_x, 140, 45);
    c.hills(420, 14, p.far, ".6");
    draw!(
        c,
        r#"<rect y="470" width="1200" height="205" fill="url(#sea)"/><rect y="440" width="1200" height="36" fill="{}"/>"#,
        p.near
    );
    let colours = [p.accent, p.light, p.far, p.glow];
    for column in 0..9 {
        let x = 40 + column * 74;
        for level in 0..c.rand(1, 5) {
            let colour = colours[usize::try_from(c.rand(0, 4)).unwrap_or(0)];
            draw!(
                c,
                r#"<rect x="{x}" y="{}" width="70" height="26" fill="{colour}" stroke="{}" stroke-width="2"/>"#,
                414 - level * 28,
                p.near
            );
        }
    }
    for x in [760, 980] {
        draw!(
            c,
            r#"<g fill="{}"><rect x="{x}" y="250" width="14" height="190"/><rect x="{}" y="250" width="14" height="190"/><rect x="{}" y="236" width="300" height="16"/><rect x="{}" y="196" width="56" height="40"/></g>"#,
            p.accent,
            x + 80,
            x - 150,
            x + 20
        );
    }
    draw!(
        c,
        r#"<path d="M640 500H1180L1140 570H680Z" fill="{}"/><rect x="1060" y="440" width="60" height="60" fill="{}"/>"#,
        p.near,
        p.light
    );
    for i in 0..6 {
        let colour = colours[usize::try_from(c.rand(0, 4)).unwrap_or(0)];
        draw!(
            c,
            r#"<rect x="{}" y="474" width="62" height="26" fill="{colour}"/>"#,
            680 + i * 64
        );
    }
    c.waves(600, 8, p.water.1, ".7");
}

/// Lorries queueing at a customs checkpoint on an open road.
pub(super) fn border(c: &mut Canvas) {
    let p = c.p;
    let sun_x = c.rand(150, 700);
    c.sun(sun_x, 150, 55);
    c.hills(420, 18, p.far, ".9");
    c.hills(470, 12, p.mid, ".9");
    draw!(
        c,
        r#"<rect y="520" width="1200" height="70" fill="{near}"/><rect y="590" width="1200" height="85" fill="{mid}"/><path d="M0 556H1200" stroke="{light}" stroke-width="4" stroke-dasharray="30 24" opacity=".6"/><g fill="{light}"><rect x="830" y="380" width="280" height="22"/><rect x="850" y="402" width="14" height="118"/><rect x="1076" y="402" width="14" height="118"/></g><rect x="990" y="450" width="56" height="70" fill="{accent}"/><rect x="1002" y="462" width="32" height="22" fill="{light}"/><rect x="870" y="488" width="14" height="40" fill="{accent}"/><rect x="880" y="492" width="160" height="10" fill="{light}"/><path d="M890 497H1040" stroke="{accent}" stroke-width="10" stroke-dasharray="16 16"/>"#,
        near = p.near,
        mid = p.mid,
        light = p.light,
        accent = p.accent
    );
    let colours = [p.light, p.accent, p.far];
    for (i, colour) in colours.into_iter().enumerate() {
        let x = 600 - i32::try_from(i).unwrap_or(0) * 280 + c.rand(-20, 0);
        draw!(
            c,
            r#"<rect x="{x}" y="430" width="180" height="80" rx="4" fill="{colour}"/><rect x="{}" y="456" width="58" height="54" rx="8" fill="{}"/><rect x="{}" y="466" width="24" height="18" fill="{}"/><g fill="{}" stroke="{}" stroke-width="3"><circle cx="{}" cy="512" r="13"/><circle cx="{}" cy="512" r="13"/><circle cx="{}" cy="512" r="13"/></g>"#,
            x + 186,
            p.mid,
            x + 214,
            p.light,
            p.near,
            p.light,
            x + 34,
            x + 150,
            x + 220
        );
    }
}

/// Snow-capped peaks above chalets and pine woods.
pub(super) fn mountains(c: &mut Canvas) {
    let p = c.p;
    let sun_x = c.rand(200, 1000);
    c.sun(sun_x, 140, 45);
    let mut peaks = Vec::new();
    draw!(c, r#"<path d="M0 380"#);
    for i in 0..7 {
        let (x, y) = (90 + i * 180 + c.rand(-30, 30), c.rand(150, 260));
        let valley = (x + 90, c.rand(320, 380));
        draw!(c, " L{x} {y} L{} {}", valley.0, valley.1);
        peaks.push((x, y));
    }
    draw!(c, r#" V675H0Z" fill="{}"/><g fill="{}">"#, p.far, p.light);
    for (x, y) in peaks {
        draw!(c, r#"<path d="M{x} {y}l36 58-16-8-20 16-18-14-22 10Z"/>"#);
    }
    draw!(c, "</g>");
    c.hills(480, 10, p.mid, "1");
    for i in 0..5 {
        let x = 150 + i * 210 + c.rand(-40, 40);
        c.house(x, 505, 70, 44, p.light, p.accent);
    }
    c.hills(590, 10, "url(#deep)", "1");
    for i in 0..9 {
        let (x, h) = (40 + i * 140 + c.rand(-30, 30), c.rand(110, 190));
        c.pine(x, 690, h, p.near);
    }
}

/// Ripening wheat in the foreground of rolling fields.
pub(super) fn fields(c: &mut Canvas) {
    let p = c.p;
    let sun_x = c.rand(250, 950);
    c.sun(sun_x, 150, 70);
    c.hills(390, 15, p.far, ".9");
    c.hills(440, 20, p.sky_top, "1");
    c.hills(500, 25, p.mid, "1");
    c.hills(570, 20, p.accent, ".85");
    draw!(
        c,
        r#"<path d="M0 470Q600 430 1200 480M0 540Q600 500 1200 545M0 610Q600 570 1200 620" fill="none" stroke="{}" stroke-width="3" opacity=".25"/>"#,
        p.near
    );
    c.hills(630, 10, p.near, "1");
    draw!(
        c,
        r#"<g stroke="{}" stroke-width="4" fill="{}">"#,
        p.sky_top,
        p.sky_top
    );
    for i in 0..14 {
        let (x, h, lean) = (
            30 + i * 85 + c.rand(-20, 20),
            c.rand(90, 170),
            c.rand(-25, 25),
        );
        let (top_x, top_y) = (x + lean, 675 - h);
        draw!(
            c,
            r#"<path d="M{x} 675Q{} {} {top_x} {top_y}" fill="none"/><ellipse cx="{top_x}" cy="{}" rx="7" ry="24" transform="rotate({} {top_x} {top_y})"/>"#,
            x + lean / 3,
            675 - h / 2,
            top_y - 18,
            lean / 2
        );
    }
    draw!(c, "</g>");
}

/// Pylons carrying power lines away from a wind farm on the hills.
pub(super) fn grid(c: &mut Canvas) {
    let p = c.p;
    let sun_x = c.rand(200, 1000);
    c.sun(sun_x, 130, 50);
    c.hills(420, 20, p.far, ".8");
    for _ in 0..4 {
        let (x, h, turn) = (c.rand(400, 1160), c.rand(70, 100), c.rand(0, 120));
        c.turbine(x, 425, h, turn, p.light);
    }
    c.hills(500, 15, p.mid, "1");
    let pylons = [(200, 660, 380), (660, 560, 240), (1000, 515, 150)];
    for (x, base, h) in pylons {
        pylon(c, x, base, h);
    }
    draw!(c, r#"<path d=""#);
    for pair in pylons.windows(2) {
        if let [(x1, b1, h1), (x2, b2, h2)] = pair {
            for (arm1, arm2, drop1, drop2) in [
                (h1 / 3, h2 / 3, h1 / 8, h2 / 8),
                (h1 / 4, h2 / 4, h1 / 3, h2 / 3),
            ] {
                for side in [-1, 1] {
                    let (ax, ay) = (x1 + side * arm1, b1 - h1 + drop1);
                    let (bx, by) = (x2 + side * arm2, b2 - h2 + drop2);
                    draw!(
                        c,
                        "M{ax} {ay}Q{} {} {bx} {by}",
                        (ax + bx) / 2,
                        (ay + by) / 2 + 40
                    );
                }
            }
        }
    }
    draw!(c, r#"" fill="none" stroke="{}" stroke-width="3"/>"#, p.near);
}

/// A lattice transmission tower standing on `base`, `h` tall.
fn pylon(c: &mut Canvas, x: i32, base: i32, h: i32) {
    let (top, foot, head) = (base - h, h / 5, h / 30);
    let leg = |y: i32| head + (foot - head) * (y - top) / h;
    draw!(
        c,
        r#"<path d="M{} {base}L{} {top}H{}L{} {base}M{} {}H{}M{} {}H{}"#,
        x - foot,
        x - head,
        x + head,
        x + foot,
        x - h / 3,
        top + h / 8,
        x + h / 3,
        x - h / 4,
        top + h / 3,
        x + h / 4
    );
    let steps = 6;
    for k in 0..steps {
        let (y1, y2) = (top + h * k / steps, top + h * (k + 1) / steps);
        draw!(
            c,
            "M{} {y1}L{} {y2}M{} {y1}L{} {y2}",
            x - leg(y1),
            x + leg(y2),
            x + leg(y1),
            x - leg(y2)
        );
    }
    let (near, width) = (c.p.near, (h / 90).max(2));
    draw!(
        c,
        r#"" fill="none" stroke="{near}" stroke-width="{width}"/>"#
    );
}
