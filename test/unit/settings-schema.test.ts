// The settings' wire schema: week numbers are a boolean setting, off unless chosen.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/api.ts';
import { validateArgument } from '../../shared/api-schema.ts';

describe('updateSettings', () => {
  it('takes weekNumbers as a boolean, alone or with other settings', () => {
    expect(validateArgument('updateSettings', { weekNumbers: true })).toEqual({ ok: true, value: { weekNumbers: true } });
    expect(validateArgument('updateSettings', { weekNumbers: false, view: 'week' })).toMatchObject({ ok: true });
    // Older clients send no weekNumbers at all.
    expect(validateArgument('updateSettings', { view: 'month', hiddenCalendars: [] })).toMatchObject({ ok: true });
  });

  it('refuses anything else for weekNumbers', () => {
    for (const weekNumbers of ['yes', 1, null]) expect(validateArgument('updateSettings', { weekNumbers }), String(weekNumbers)).toMatchObject({ ok: false });
  });

  it('starts with week numbers off', () => {
    expect(DEFAULT_SETTINGS.weekNumbers).toBe(false);
  });
});
