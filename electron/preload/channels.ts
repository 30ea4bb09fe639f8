// IPC channel names shared by the preload and the main process: one per API method, plus two that only
// the main process sends on (progress events and native-menu commands).
import type { ApiMethod } from '../../shared/api.ts';

export const apiChannel = (method: ApiMethod): string => `davlens:api:${method}`;
export const PROGRESS_CHANNEL = 'davlens:progress';
export const HOST_EVENT_CHANNEL = 'davlens:host-event';
