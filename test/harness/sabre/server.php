<?php
// SabreDAV 1.8 (Debian php-sabre-dav) for the integration tests, run as a `php -S` router script.
// From the environment: SABRE_DB (sqlite file made by init-db.php) and SABRE_AUTH (basic | digest).
// Basic and Digest servers share one DB, so data seeded over Basic is visible over Digest.

date_default_timezone_set('UTC');

// SabreDAV has no well-known of its own; answered before auth, as most hosted servers do.
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
if ($path === '/.well-known/caldav' || $path === '/.well-known/carddav') {
    header('Location: /', true, 301);
    return;
}

set_include_path('/usr/share/php' . PATH_SEPARATOR . get_include_path());
require_once 'Sabre/autoload.php';

// Basic login checked against the same users.digesta1 = md5("user:SabreDAV:pw") the Digest backend uses.
class HarnessBasicBackend extends \Sabre\DAV\Auth\Backend\AbstractBasic {
    private $pdo;

    public function __construct(\PDO $pdo) {
        $this->pdo = $pdo;
    }

    protected function validateUserPass($username, $password) {
        $stmt = $this->pdo->prepare('SELECT digesta1 FROM users WHERE username = ?');
        $stmt->execute(array($username));
        $a1 = $stmt->fetchColumn();
        return is_string($a1) && hash_equals($a1, md5($username . ':SabreDAV:' . $password));
    }
}

$pdo = new \PDO('sqlite:' . getenv('SABRE_DB'));
$pdo->setAttribute(\PDO::ATTR_ERRMODE, \PDO::ERRMODE_EXCEPTION);

$authBackend = getenv('SABRE_AUTH') === 'digest'
    ? new \Sabre\DAV\Auth\Backend\PDO($pdo)
    : new HarnessBasicBackend($pdo);
$principalBackend = new \Sabre\DAVACL\PrincipalBackend\PDO($pdo);

$server = new \Sabre\DAV\Server(array(
    new \Sabre\CalDAV\Principal\Collection($principalBackend),
    new \Sabre\CalDAV\CalendarRootNode($principalBackend, new \Sabre\CalDAV\Backend\PDO($pdo)),
    new \Sabre\CardDAV\AddressBookRoot($principalBackend, new \Sabre\CardDAV\Backend\PDO($pdo)),
));
$server->setBaseUri('/');
$server->addPlugin(new \Sabre\DAV\Auth\Plugin($authBackend, 'SabreDAV'));
$server->addPlugin(new \Sabre\CalDAV\Plugin());
// GET CALENDAR/?export serves a calendar as one .ics: what a published calendar link is (subscriptions' tests).
$server->addPlugin(new \Sabre\CalDAV\ICSExportPlugin());
$server->addPlugin(new \Sabre\CardDAV\Plugin());
$server->addPlugin(new \Sabre\DAVACL\Plugin());
$server->exec();
