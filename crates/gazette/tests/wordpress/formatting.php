<?php
// Runs WordPress's own wpautop() and wptexturize() for Gazette's differential tests.
//
// Usage: php formatting.php /usr/share/wordpress < inputs.json
// Reads a JSON array of strings and writes a JSON array of {"autop": …, "texturize": …}, each
// function applied alone to the input, with WordPress's default options. Only WordPress's
// formatting functions are loaded: no database, no plugins, no network.

if ($argc < 2) {
    fwrite(STDERR, "usage: php formatting.php WORDPRESS_DIR < inputs.json\n");
    exit(2);
}
define('ABSPATH', rtrim($argv[1], '/') . '/');
define('WPINC', 'wp-includes');

require ABSPATH . WPINC . '/plugin.php';
require ABSPATH . WPINC . '/pomo/translations.php';
require ABSPATH . WPINC . '/l10n.php';
require ABSPATH . WPINC . '/formatting.php';
require ABSPATH . WPINC . '/shortcodes.php';

// formatting.php asks for a few options; a fresh site's defaults are the fallbacks given.
function get_option($name, $default = false) {
    return $default;
}

$inputs = json_decode(stream_get_contents(STDIN), true);
if (!is_array($inputs)) {
    fwrite(STDERR, "stdin is not a JSON array of strings\n");
    exit(2);
}
$outputs = array();
foreach ($inputs as $input) {
    $outputs[] = array(
        'autop' => wpautop($input),
        'texturize' => wptexturize($input, true),
    );
}
echo json_encode($outputs, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES);
