// One call of the contract as both hosts run it: the IPC handlers (desktop) and the HTTP routes (browser
// mode) validate and answer through this, so a bad argument or a failing engine gives the same Result in
// both. Electron-free on purpose: electron/main imports it, the browser host must never pull in 'electron'.
import type { ApiMethod, DavlensApi, Result } from '../../shared/api.ts';
import { API_METHODS, fail } from '../../shared/api.ts';
import { validateArgument } from '../../shared/api-schema.ts';
import { davlensError } from '../../shared/errors.ts';

export function isApiMethod(name: string): name is ApiMethod {
  return (API_METHODS as readonly string[]).includes(name);
}

/** Validates `arg` for `method` and calls it; never throws (a throw would lose its fields over IPC). */
export async function dispatch(api: DavlensApi, method: string, arg: unknown): Promise<Result<unknown>> {
  if (!isApiMethod(method)) return fail(davlensError('bad-input', `There is no API method named "${method}".`, 'input'));
  const checked = validateArgument(method, arg);
  if (!checked.ok) return fail(davlensError('bad-input', checked.message, 'input'));
  try {
    const fn = api[method] as (arg: unknown) => Promise<Result<unknown>>;
    const result = await Reflect.apply(fn, api, [checked.value]);
    if (!isResult(result)) return fail(davlensError('internal', `${method} returned something that is not a Result.`, 'input'));
    return result;
  } catch (e) {
    return fail(davlensError('internal', `${method} failed unexpectedly: ${e instanceof Error ? e.message : String(e)}`, 'input'));
  }
}

function isResult(v: unknown): v is Result<unknown> {
  if (typeof v !== 'object' || v === null || !('ok' in v)) return false;
  return v.ok === true ? 'value' in v : v.ok === false && 'error' in v;
}
