// WCAG 2 contrast for text on a colour the user or the server chose (a calendar's colour, an avatar's):
// white text where it reads (after a slight darkening at most, as GNOME's blue #3584e4 needs), else
// near-black text (GNOME's green #2ec27e, orange #e66100), and only a colour on which neither reaches AA is
// darkened or lightened, by the least amount that makes it pass.

/** WCAG AA for normal text (event titles are 12 px). */
export const AA_NORMAL = 4.5;

const LIGHT_TEXT = '#ffffff';
const DARK_TEXT = '#111827';

type Rgb = [number, number, number];

function parseHex(hex: string): Rgb {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex.trim());
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  return [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)];
}

function toHex(rgb: Rgb): string {
  return `#${rgb.map((v) => Math.min(255, Math.max(0, v)).toString(16).padStart(2, '0')).join('')}`;
}

/** WCAG relative luminance of a #rrggbb colour. */
export function luminance(hex: string): number {
  const [r, g, b] = parseHex(hex).map((v) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two #rrggbb colours, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

export interface ReadableColors {
  /** The background to draw: the colour itself unless no text colour reads on it. */
  fill: string;
  /** White or near-black, whichever reaches `min` on `fill`. */
  text: string;
}

/** Mixes each channel toward 0 (darken) or 255 (lighten) by `amount` (0..1), rounding away from the middle. */
function mix(rgb: Rgb, amount: number, toward: 0 | 255): string {
  return toHex(rgb.map((v) => (toward === 0 ? Math.floor(v * (1 - amount)) : Math.ceil(v + (255 - v) * amount))) as Rgb);
}

/** The least mix toward black or white after which `text` reaches `min` on the colour. */
function leastMix(rgb: Rgb, toward: 0 | 255, text: string, min: number): { fill: string; amount: number } {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 24; i++) {
    const mid = (lo + hi) / 2;
    if (contrastRatio(mix(rgb, mid, toward), text) >= min) hi = mid;
    else lo = mid;
  }
  return { fill: mix(rgb, hi, toward), amount: hi };
}

/** White text is kept on a colour that needs at most this much darkening for it (GNOME's blue, #3584e4). */
const KEEP_WHITE_UP_TO = 0.12;
/** Adjusted colours aim a little above the minimum, so no renderer's rounding takes them under it. */
const MARGIN = 0.1;

/**
 * The fill and text colour for a label drawn on `color` (#rrggbb). White text on the colour when it reads,
 * or on the colour slightly darkened (at most 12 %); else near-black text on the colour when that reads;
 * else (a mid-luminance colour) the colour darkened for white text or lightened for dark text, whichever
 * changes it less.
 */
export function readableColors(color: string, min = AA_NORMAL): ReadableColors {
  const rgb = parseHex(color);
  const fill = toHex(rgb);
  if (contrastRatio(fill, LIGHT_TEXT) >= min) return { fill, text: LIGHT_TEXT };
  const darker = leastMix(rgb, 0, LIGHT_TEXT, min + MARGIN);
  if (darker.amount <= KEEP_WHITE_UP_TO) return { fill: darker.fill, text: LIGHT_TEXT };
  if (contrastRatio(fill, DARK_TEXT) >= min) return { fill, text: DARK_TEXT };
  const lighter = leastMix(rgb, 255, DARK_TEXT, min + MARGIN);
  return darker.amount <= lighter.amount ? { fill: darker.fill, text: LIGHT_TEXT } : { fill: lighter.fill, text: DARK_TEXT };
}
