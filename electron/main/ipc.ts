// One ipcMain.handle channel per API method. Every argument is validated (dispatch) and every answer is a
// Result: a thrown error would reach the renderer without its fields. Calls from any frame that is not
// the app's own page are refused.
import { ipcMain } from 'electron';
import type { IpcMainInvokeEvent } from 'electron';
import type { DavlensApi, Result } from '../../shared/api.ts';
import { API_METHODS, fail } from '../../shared/api.ts';
import { davlensError } from '../../shared/errors.ts';
import { apiChannel } from '../preload/channels.ts';
import { dispatch } from '../web/dispatch.ts';
import { isAppUrl } from './protocol.ts';

function isAppFrame(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): boolean {
  const url = event.senderFrame?.url;
  return !!url && isAppUrl(url);
}

export function registerIpc(api: DavlensApi): void {
  for (const method of API_METHODS) {
    ipcMain.handle(apiChannel(method), (event, arg: unknown): Promise<Result<unknown>> => {
      if (!isAppFrame(event)) return Promise.resolve(fail(davlensError('bad-input', 'Refused a call from a page that is not Davlens.', 'input')));
      return dispatch(api, method, arg);
    });
  }
}
