// Export through the host: the desktop shell shows a native save dialog (saveExport); the browser mode
// downloads exportFile's content through a Blob URL.
import type { DavlensClient, ExportTarget } from '../../../shared/api.ts';
import { PRELOAD_GLOBAL } from '../../../shared/api.ts';
import { t } from '../i18n/messages.ts';

export interface ExportOutcome {
  ok: boolean;
  message: string;
  filename?: string;
  content?: string;
}

export function isDesktopHost(): boolean {
  return typeof window !== 'undefined' && PRELOAD_GLOBAL in window;
}

export function downloadText(filename: string, content: string, mediaType: string): void {
  const blob = new Blob([content], { type: `${mediaType};charset=utf-8` });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // Give the browser time to start the download before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

export async function exportTarget(client: DavlensClient, target: ExportTarget, desktop: boolean = isDesktopHost()): Promise<ExportOutcome> {
  if (desktop) {
    const r = await client.saveExport(target);
    if (!r.ok) return { ok: false, message: t('export.failed', { message: r.error.message }) };
    if (!r.value.saved) return { ok: false, message: t('export.cancelled') };
    const name = r.value.path?.split(/[\\/]/).pop() ?? '';
    return { ok: true, message: t('export.done', { name }) };
  }
  const r = await client.exportFile(target);
  if (!r.ok) return { ok: false, message: t('export.failed', { message: r.error.message }) };
  const file = r.value;
  downloadText(file.filename, file.content, file.mediaType);
  const message = file.errors.length
    ? t('export.warnings', { name: file.filename, count: file.errors.length })
    : t('export.downloaded', { name: file.filename });
  return { ok: true, message, filename: file.filename, content: file.content };
}
