// Renders build/icon.svg into the icons electron-builder takes: icons/NxN.png (Linux), icon.png,
// icon.ico (Windows: PNG entries 16-256) and icon.icns (macOS: PNG entries 16-1024). Chromium draws each
// size from the SVG (no resampling); the ICO and ICNS containers are written here. The results are
// committed, so this runs only when the drawing changes:
//   node build/make-icons.ts [path/to/chromium]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const chromium = process.argv[2] ?? '/usr/bin/chromium';
const SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];

function render(size: number, work: string): Buffer {
  const html = join(work, `icon-${size}.html`);
  const png = join(work, `icon-${size}.png`);
  writeFileSync(
    html,
    `<!doctype html><style>html,body{margin:0;background:transparent}img{display:block;width:${size}px;height:${size}px}</style>` +
      `<img src="${pathToFileURL(join(here, 'icon.svg')).href}">`,
  );
  execFileSync(
    chromium,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--hide-scrollbars',
      '--default-background-color=00000000',
      `--window-size=${size},${size}`,
      `--screenshot=${png}`,
      pathToFileURL(html).href,
    ],
    { stdio: 'ignore', timeout: 60_000 },
  );
  return readFileSync(png);
}

/** ICO with PNG-compressed entries (Vista and later); a width/height byte of 0 means 256. */
function ico(pngs: Map<number, Buffer>, sizes: number[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(sizes.length, 4);
  const entries: Buffer[] = [];
  let offset = 6 + 16 * sizes.length;
  for (const size of sizes) {
    const data = pngs.get(size)!;
    const e = Buffer.alloc(16);
    e.writeUInt8(size >= 256 ? 0 : size, 0);
    e.writeUInt8(size >= 256 ? 0 : size, 1);
    e.writeUInt16LE(1, 4);
    e.writeUInt16LE(32, 6);
    e.writeUInt32LE(data.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += data.length;
    entries.push(e);
  }
  return Buffer.concat([header, ...entries, ...sizes.map((s) => pngs.get(s)!)]);
}

/** ICNS with PNG entries; types per Apple's IconFamily (ic11-ic14 are the @2x retina variants). */
function icns(pngs: Map<number, Buffer>): Buffer {
  const types: [string, number][] = [
    ['icp4', 16],
    ['icp5', 32],
    ['icp6', 64],
    ['ic07', 128],
    ['ic08', 256],
    ['ic09', 512],
    ['ic10', 1024],
    ['ic11', 32],
    ['ic12', 64],
    ['ic13', 512],
    ['ic14', 1024],
  ];
  const chunks = types.map(([type, size]) => {
    const data = pngs.get(size)!;
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(8 + data.length, 4);
    return Buffer.concat([head, data]);
  });
  const body = Buffer.concat(chunks);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + body.length, 4);
  return Buffer.concat([head, body]);
}

const work = mkdtempSync(join(tmpdir(), 'davlens-icons-'));
try {
  const pngs = new Map(SIZES.map((s) => [s, render(s, work)] as const));
  mkdirSync(join(here, 'icons'), { recursive: true });
  for (const [size, png] of pngs) writeFileSync(join(here, 'icons', `${size}x${size}.png`), png);
  writeFileSync(join(here, 'icon.png'), pngs.get(1024)!);
  writeFileSync(join(here, 'icon.ico'), ico(pngs, [16, 24, 32, 48, 64, 128, 256]));
  writeFileSync(join(here, 'icon.icns'), icns(pngs));
  console.log(`Wrote build/icons/*.png (${SIZES.join(', ')}), build/icon.png, build/icon.ico, build/icon.icns`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
