// saveExport on the desktop: the engine makes the file, the main process asks where to put it (native save
// dialog, owned by the window) and writes it. The renderer never names a path.
import { dialog } from 'electron';
import type { BrowserWindow } from 'electron';
import { writeFile } from 'node:fs/promises';
import type { DavlensApi, ExportTarget, Result, SaveOutcome } from '../../shared/api.ts';
import { fail, ok } from '../../shared/api.ts';
import { davlensError } from '../../shared/errors.ts';

export async function saveExportWithDialog(api: DavlensApi, target: ExportTarget, parent: BrowserWindow | null): Promise<Result<SaveOutcome>> {
  const file = await api.exportFile(target);
  if (!file.ok) return file;
  const { filename, mediaType, content } = file.value;
  const filters = mediaType === 'text/calendar' ? [{ name: 'iCalendar', extensions: ['ics'] }] : [{ name: 'vCard', extensions: ['vcf'] }];
  const options = { title: 'Export', defaultPath: filename, filters };
  const choice = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
  if (choice.canceled || !choice.filePath) return ok({ saved: false, path: null });
  try {
    await writeFile(choice.filePath, content, 'utf8');
  } catch (e) {
    return fail(davlensError('internal', `Could not write ${choice.filePath}: ${(e as Error).message}`, 'export'));
  }
  return ok({ saved: true, path: choice.filePath });
}
