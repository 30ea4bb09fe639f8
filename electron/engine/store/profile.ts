// The one place that decides where a user's profile lives, so the desktop app, the browser mode and the
// command line all see the same accounts. `--profile DIR` overrides it.
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

export function profileDir(override?: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (override) return override;
  if (env.DAVLENS_PROFILE) return env.DAVLENS_PROFILE;
  const home = env.HOME || homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Davlens');
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'Davlens');
  // The XDG Base Directory spec: a relative XDG_DATA_HOME is invalid and ignored.
  const xdg = env.XDG_DATA_HOME && isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : join(home, '.local', 'share');
  return join(xdg, 'davlens');
}
