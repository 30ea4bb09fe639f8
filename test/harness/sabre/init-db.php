<?php
// Creates the shared SabreDAV sqlite DB: `php init-db.php DB USER PASSWORD EMAIL`.
// Schemas come from Debian's php-sabre-dav examples; the user gets the three principal rows SabreDAV
// needs plus one calendar and one address book, both with uri "default".

$schemaDir = '/usr/share/doc/php-sabre-dav/examples/sql';
list(, $dbFile, $user, $password, $email) = $argv;

$pdo = new PDO('sqlite:' . $dbFile);
$pdo->setAttribute(PDO::ATTR_ERRMODE, PDO::ERRMODE_EXCEPTION);
foreach (array('principals', 'users', 'calendars', 'addressbooks', 'locks') as $table) {
    $sql = @file_get_contents("$schemaDir/sqlite.$table.sql");
    if ($sql === false) {
        fwrite(STDERR, "missing $schemaDir/sqlite.$table.sql (package php-sabre-dav)\n");
        exit(1);
    }
    $pdo->exec($sql);
}

// The schemas insert a sample "admin" account: only our user should exist.
$pdo->exec('DELETE FROM users; DELETE FROM principals;');

$pdo->prepare('INSERT INTO users (username, digesta1) VALUES (?, ?)')
    ->execute(array($user, md5("$user:SabreDAV:$password")));
$principal = "principals/$user";
$insertPrincipal = $pdo->prepare('INSERT INTO principals (uri, email, displayname) VALUES (?, ?, ?)');
$insertPrincipal->execute(array($principal, $email, ucfirst($user)));
$insertPrincipal->execute(array("$principal/calendar-proxy-read", null, null));
$insertPrincipal->execute(array("$principal/calendar-proxy-write", null, null));

$pdo->prepare(
    'INSERT INTO calendars (principaluri, displayname, uri, ctag, description, calendarorder, calendarcolor, components, transparent)
     VALUES (?, ?, ?, 1, NULL, 0, NULL, ?, 0)'
)->execute(array($principal, 'Default', 'default', 'VEVENT,VTODO'));
$pdo->prepare('INSERT INTO addressbooks (principaluri, displayname, uri, description, ctag) VALUES (?, ?, ?, NULL, 1)')
    ->execute(array($principal, 'Default', 'default'));
