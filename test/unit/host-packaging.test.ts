// What `npm run build:main` and `npm run dist` produce, checked without Electron: the bundles (externals,
// the engine bundle actually running as a utility process would), the electron-builder config (schema-
// validated offline), the icons, and an app.asar packed with a stand-in Electron distribution.
import { execFileSync, fork } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { FuseState, SENTINEL } from '@electron/fuses/dist/constants.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const node = join(root, 'node_modules', '.bin', 'node');
const stage = mkdtempSync(join(tmpdir(), 'davlens-pack-'));
afterAll(() => rmSync(stage, { recursive: true, force: true }));

beforeAll(() => {
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  execFileSync(node, [vite, 'build', '-c', 'vite.main.config.ts', '--outDir', join(stage, 'out', 'main')], { cwd: root, stdio: 'pipe' });
  execFileSync(node, [vite, 'build', '-c', 'vite.main.config.ts', '--mode', 'preload', '--outDir', join(stage, 'out', 'preload')], {
    cwd: root,
    stdio: 'pipe',
  });
}, 120_000);

const isNodeBuiltin = (s: string) => s.startsWith('node:') || builtinModules.includes(s);

describe('bundles', () => {
  it('main and engine are ESM importing only electron and Node built-ins; the engine not even electron', () => {
    for (const file of ['index.mjs', 'engine.mjs', 'reader-worker.mjs']) {
      const text = readFileSync(join(stage, 'out', 'main', file), 'utf8');
      const specifiers = [...text.matchAll(/^import\s[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
      const bare = specifiers.filter((s) => !s.startsWith('.'));
      expect(
        bare.filter((s) => !isNodeBuiltin(s) && s !== 'electron'),
        file,
      ).toEqual([]);
      if (file !== 'index.mjs') expect(bare).not.toContain('electron');
      expect(text, file).not.toMatch(/\brequire\(["'](?!node:)(?:electron|undici|zod|ical\.js)["']\)/);
    }
    expect(readFileSync(join(stage, 'out', 'main', 'index.mjs'), 'utf8')).toMatch(/^import .* from "electron";$/m);
  });

  it('the main process bundle does not carry the engine (it runs in the utility process)', () => {
    const main = join(stage, 'out', 'main');
    const loaded = new Set<string>();
    const visit = (file: string) => {
      if (loaded.has(file)) return;
      loaded.add(file);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^import\s[^'"]*['"](\.[^'"]+)['"]/gm)) visit(resolve(dirname(file), m[1]!));
    };
    visit(join(main, 'index.mjs'));
    const code = [...loaded].map((f) => readFileSync(f, 'utf8')).join('\n');
    // What only the engine has: the store's SQLite, the iCalendar parser, the DAV request function.
    expect(code).not.toMatch(/DatabaseSync|ICAL\.parse|calendar-multiget/);
    expect(code.length).toBeLessThan(400_000);
  });

  it('the preload is one CommonJS file that requires only electron', () => {
    const text = readFileSync(join(stage, 'out', 'preload', 'preload.cjs'), 'utf8');
    expect([...text.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1])).toEqual(['electron']);
    expect(text).not.toMatch(/^\s*(import|export)\s/m);
    expect(text).toContain('exposeInMainWorld');
  });

  it('the engine bundle runs as a utility process: answers calls over parentPort and closes', async () => {
    // Electron gives a utility process `process.parentPort`; here a shim over Node's fork IPC plays that part.
    const shim = `const m = new Map(); process.parentPort = {
      postMessage: (x) => process.send(x),
      on: (e, l) => { const h = (data) => l({ data }); m.set(l, h); process.on('message', h); },
      off: (e, l) => process.off('message', m.get(l)) };`;
    const profile = mkdtempSync(join(stage, 'profile-'));
    const child = fork(join(stage, 'out', 'main', 'engine.mjs'), [], {
      execPath: node,
      execArgv: ['--disable-warning=ExperimentalWarning', '--import', `data:text/javascript,${encodeURIComponent(shim)}`],
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c));
    const replies: Record<string, unknown>[] = [];
    const next = (kind: string, id?: number) =>
      new Promise<Record<string, unknown>>((resolveReply, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${kind} from the engine; stderr: ${stderr}`)), 20_000);
        const check = () => {
          const found = replies.find((r) => r.kind === kind && (id === undefined || r.id === id));
          if (found) {
            clearTimeout(timer);
            child.off('message', check);
            resolveReply(found);
          }
        };
        child.on('message', (m) => {
          replies.push(m as Record<string, unknown>);
          check();
        });
        check();
      });
    try {
      child.send({ kind: 'init', options: { profileDir: profile, syncIntervalMinutes: 0 }, vaultWarning: null });
      await next('ready');
      child.send({ kind: 'call', id: 1, method: 'listAccounts', arg: null });
      expect((await next('result', 1)).result).toEqual({ ok: true, value: [] });
      const ics =
        'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:u1\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260105T090000Z\r\nDTEND:20260105T100000Z\r\nSUMMARY:Bundled\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';
      child.send({ kind: 'call', id: 2, method: 'openLocalFile', arg: { name: 'a.ics', content: ics, tz: 'UTC' } });
      const local = (await next('result', 2)).result as { ok: boolean; value: { events: { summary: string }[] } };
      expect(local.ok).toBe(true);
      expect(local.value.events.map((e) => e.summary)).toEqual(['Bundled']);
      // A file over a million characters is read by the bundled worker thread (out/main/reader-worker.mjs).
      const large = ics.replace('SUMMARY:Bundled', `SUMMARY:Large\r\nDESCRIPTION:${'x'.repeat(1_100_000)}`);
      child.send({ kind: 'call', id: 3, method: 'openLocalFile', arg: { name: 'large.ics', content: large, tz: 'UTC' } });
      const read = (await next('result', 3)).result as { ok: boolean; value: { events: { summary: string }[] } };
      expect(read).toMatchObject({ ok: true, value: { events: [{ summary: 'Large' }] } });
      child.send({ kind: 'close' });
      await next('closed');
    } finally {
      child.kill();
    }
    expect(existsSync(profile)).toBe(true);
  }, 60_000);
});

describe('electron-builder config', () => {
  type Config = Record<string, unknown> & {
    linux: { target: string[]; icon: string };
    mac: { target: string[]; icon: string };
    win: { target: string[]; icon: string };
  };
  const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
    getConfig(projectDir: string, configPath: string, fromOptions: null): Promise<Config>;
    validateConfiguration(config: unknown, logger: unknown): Promise<void>;
  };
  const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

  it('loads and passes electron-builder’s own schema validation', async () => {
    const config = await getConfig(root, join(root, 'electron-builder.yml'), null);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    // The validation is real: a wrong key is refused.
    await expect(validateConfiguration({ ...config, linux: { ...config.linux, bogus: true } }, new DebugLogger(false))).rejects.toThrow(/configuration/);
  });

  it('targets AppImage + deb, dmg and nsis with icons from build/, and ships the bundles', async () => {
    const config = await getConfig(root, join(root, 'electron-builder.yml'), null);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.directories).toMatchObject({ buildResources: 'build' });
    for (const icon of [config.linux.icon, config.mac.icon, config.win.icon]) expect(existsSync(join(root, icon)), icon).toBe(true);
    expect(config.extraMetadata).toEqual({ main: 'out/main/index.mjs' });
    expect(existsSync(join(stage, 'out', 'main', 'index.mjs'))).toBe(true);
  });
});

describe('icons', () => {
  const pngSize = (buf: Buffer) => {
    expect(buf.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(buf.subarray(12, 16).toString('ascii')).toBe('IHDR');
    return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20), colorType: buf.readUInt8(25) };
  };

  it('Linux: build/icons/NxN.png at the size their names say, with alpha, up to 1024', () => {
    for (const n of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) {
      expect(pngSize(readFileSync(join(root, 'build', 'icons', `${n}x${n}.png`))), `${n}`).toEqual({ width: n, height: n, colorType: 6 });
    }
    expect(pngSize(readFileSync(join(root, 'build', 'icon.png')))).toMatchObject({ width: 1024, height: 1024 });
  });

  it('Windows: icon.ico holds 16 to 256 px PNG entries', () => {
    const ico = readFileSync(join(root, 'build', 'icon.ico'));
    expect(ico.readUInt16LE(0)).toBe(0);
    expect(ico.readUInt16LE(2)).toBe(1);
    const count = ico.readUInt16LE(4);
    const sizes: number[] = [];
    for (let i = 0; i < count; i++) {
      const e = 6 + 16 * i;
      const declared = ico.readUInt8(e) || 256;
      const png = ico.subarray(ico.readUInt32LE(e + 12), ico.readUInt32LE(e + 12) + ico.readUInt32LE(e + 8));
      expect(pngSize(png)).toMatchObject({ width: declared, height: declared });
      sizes.push(declared);
    }
    expect(sizes).toEqual(expect.arrayContaining([16, 32, 48, 256]));
  });

  it('macOS: icon.icns holds 16 to 1024 px PNG entries under their IconFamily types', () => {
    const icns = readFileSync(join(root, 'build', 'icon.icns'));
    expect(icns.subarray(0, 4).toString('ascii')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const entries: Record<string, number> = {};
    for (let at = 8; at < icns.length;) {
      const type = icns.subarray(at, at + 4).toString('ascii');
      const length = icns.readUInt32BE(at + 4);
      entries[type] = pngSize(icns.subarray(at + 8, at + length)).width;
      at += length;
    }
    expect(entries).toMatchObject({ icp4: 16, icp5: 32, icp6: 64, ic07: 128, ic08: 256, ic09: 512, ic10: 1024, ic11: 32, ic12: 64, ic13: 512, ic14: 1024 });
  });
});

describe('packing', () => {
  it('electron-builder --dir (stand-in Electron) packs the bundles, the UI and the demo into app.asar, no node_modules or sources, and flips the fuses', async () => {
    cpSync(join(root, 'build'), join(stage, 'build'), { recursive: true });
    cpSync(join(root, 'electron-builder.yml'), join(stage, 'electron-builder.yml'));
    cpSync(join(root, 'package.json'), join(stage, 'package.json'));
    // Dependencies are bundled; the link only lets electron-builder's dependency scan find them.
    symlinkSync(join(root, 'node_modules'), join(stage, 'node_modules'));
    mkdirSync(join(stage, 'dist', 'renderer'), { recursive: true });
    writeFileSync(join(stage, 'dist', 'renderer', 'index.html'), '<!doctype html><title>Davlens</title>');
    mkdirSync(join(stage, 'assets', 'demo'), { recursive: true });
    writeFileSync(join(stage, 'assets', 'demo', 'calendar.ics'), 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n');
    const fakeElectron = join(stage, 'fake-electron');
    mkdirSync(join(fakeElectron, 'locales'), { recursive: true });
    writeFileSync(join(fakeElectron, 'electron'), standInElectronBinary());
    chmodSync(join(fakeElectron, 'electron'), 0o755);
    writeFileSync(join(fakeElectron, 'locales', 'en-US.pak'), '');
    writeFileSync(join(fakeElectron, 'version'), '45.4.1');

    execFileSync(
      node,
      [
        join(root, 'node_modules', 'electron-builder', 'cli.js'),
        '--linux',
        '--dir',
        '--config',
        'electron-builder.yml',
        `-c.electronDist=${fakeElectron}`,
        '-c.electronVersion=45.4.1',
        '-c.npmRebuild=false',
      ],
      { cwd: stage, stdio: 'pipe', env: { ...process.env, CI: 'true' } },
    );

    const asar = require('@electron/asar') as { listPackage(file: string): string[]; extractFile(file: string, path: string): Buffer };
    const archive = join(stage, 'release', 'linux-unpacked', 'resources', 'app.asar');
    const files = asar.listPackage(archive).map((f) => f.replaceAll('\\', '/'));
    for (const f of [
      '/out/main/index.mjs',
      '/out/main/engine.mjs',
      '/out/main/reader-worker.mjs',
      '/out/preload/preload.cjs',
      '/dist/renderer/index.html',
      '/assets/demo/calendar.ics',
      '/package.json',
    ]) {
      expect(files, f).toContain(f);
    }
    expect(files.filter((f) => /^\/(node_modules|electron|shared|renderer|test|build)(\/|$)|\.map$|\.ts$/.test(f))).toEqual([]);
    const pkg = JSON.parse(asar.extractFile(archive, 'package.json').toString()) as { main: string; name: string };
    expect(pkg.main).toBe('out/main/index.mjs');
    const binary = join(stage, 'release', 'linux-unpacked', 'davlens');
    expect(existsSync(binary)).toBe(true);

    // The fuses electron-builder.yml asks for, flipped in the packed binary and read back with @electron/fuses.
    const wire = (await getCurrentFuseWire(binary)) as unknown as Record<number, number>;
    const state = (o: number) => (wire[o] === FuseState.ENABLE ? 'on' : wire[o] === FuseState.DISABLE ? 'off' : `state ${wire[o]}`);
    expect({
      RunAsNode: state(FuseV1Options.RunAsNode),
      EnableNodeOptionsEnvironmentVariable: state(FuseV1Options.EnableNodeOptionsEnvironmentVariable),
      EnableNodeCliInspectArguments: state(FuseV1Options.EnableNodeCliInspectArguments),
      EnableEmbeddedAsarIntegrityValidation: state(FuseV1Options.EnableEmbeddedAsarIntegrityValidation),
      OnlyLoadAppFromAsar: state(FuseV1Options.OnlyLoadAppFromAsar),
      GrantFileProtocolExtraPrivileges: state(FuseV1Options.GrantFileProtocolExtraPrivileges),
      // Left as Electron ships it.
      EnableCookieEncryption: state(FuseV1Options.EnableCookieEncryption),
    }).toEqual({
      RunAsNode: 'off',
      EnableNodeOptionsEnvironmentVariable: 'off',
      EnableNodeCliInspectArguments: 'off',
      EnableEmbeddedAsarIntegrityValidation: 'on',
      OnlyLoadAppFromAsar: 'on',
      GrantFileProtocolExtraPrivileges: 'off',
      EnableCookieEncryption: 'off',
    });
    // The stand-in started with Electron's defaults: the flip is electron-builder's doing, not the stand-in's.
    const before = (await getCurrentFuseWire(join(fakeElectron, 'electron'))) as unknown as Record<number, number>;
    expect(before[FuseV1Options.RunAsNode]).toBe(FuseState.ENABLE);
  }, 120_000);
});

/**
 * A stand-in for Electron's executable: a shell script that carries the fuse wire as Electron 45 ships it
 * (@electron/fuses finds it after its sentinel: version 1, length 8, one byte per fuse, '1' on and '0' off).
 */
function standInElectronBinary(): Buffer {
  // RunAsNode, CookieEncryption, NodeOptions, NodeCliInspect, AsarIntegrity, OnlyLoadAppFromAsar,
  // BrowserProcessSpecificV8Snapshot, GrantFileProtocolExtraPrivileges: Electron 45's defaults.
  const defaults = '10110001';
  return Buffer.concat([Buffer.from(`#!/bin/sh\n# ${SENTINEL}`), Buffer.from([1, defaults.length]), Buffer.from(`${defaults}\n`)]);
}
