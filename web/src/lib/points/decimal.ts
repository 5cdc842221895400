// Exact handling of the API's decimal strings ("1234.5", "-0.75") without float arithmetic:
// values are BigInt-scaled integers, formatting works on the digits.

interface Scaled {
  value: bigint;
  scale: number;
}

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

function parse(text: string): Scaled {
  const m = DECIMAL.exec(text.trim());
  if (!m) throw new Error(`Not a decimal string: "${text}"`);
  const fraction = m[3] ?? "";
  const digits = BigInt(`${m[2]}${fraction}`);
  return { value: m[1] ? -digits : digits, scale: fraction.length };
}

function rescale(a: Scaled, scale: number): bigint {
  return a.value * 10n ** BigInt(scale - a.scale);
}

function toText({ value, scale }: Scaled): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, "0");
  const int = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, "");
  const text = fraction ? `${int}.${fraction}` : int;
  return negative && text !== "0" ? `-${text}` : text;
}

/** Whether the text is a decimal string the helpers accept. */
export function isDecimal(text: string): boolean {
  return DECIMAL.test(text.trim());
}

/** Exact a + b of two decimal strings. */
export function addDecimals(a: string, b: string): string {
  const x = parse(a);
  const y = parse(b);
  const scale = Math.max(x.scale, y.scale);
  return toText({ value: rescale(x, scale) + rescale(y, scale), scale });
}

/** Exact a - b of two decimal strings. */
export function subtractDecimals(a: string, b: string): string {
  const y = parse(b);
  return addDecimals(a, toText({ value: -y.value, scale: y.scale }));
}

/** Exact a × b of two decimal strings (e.g. base points × a frozen multiplier). */
export function multiplyDecimals(a: string, b: string): string {
  const x = parse(a);
  const y = parse(b);
  return toText({ value: x.value * y.value, scale: x.scale + y.scale });
}

/** Sign of a - b: -1, 0 or 1. */
export function compareDecimals(a: string, b: string): number {
  const x = parse(a);
  const y = parse(b);
  const scale = Math.max(x.scale, y.scale);
  const d = rescale(x, scale) - rescale(y, scale);
  return d === 0n ? 0 : d < 0n ? -1 : 1;
}

/** Rounds half away from zero to at most `digits` fraction digits, trimming trailing zeros. */
export function roundDecimal(text: string, digits: number): string {
  const x = parse(text);
  if (x.scale <= digits) return toText(x);
  const drop = 10n ** BigInt(x.scale - digits);
  const magnitude = x.value < 0n ? -x.value : x.value;
  let kept = magnitude / drop;
  if ((magnitude % drop) * 2n >= drop) kept += 1n;
  return toText({ value: x.value < 0n ? -kept : kept, scale: digits });
}

/**
 * "1234567.891" -> "1,234,567.89": grouped integer part, at most `maxFractionDigits` fraction digits.
 * Anything that is not a decimal string is shown as is.
 */
export function formatDecimal(text: string | null | undefined, maxFractionDigits = 2): string {
  if (text === null || text === undefined || text === "") return "–";
  if (!isDecimal(text)) return text;
  const rounded = roundDecimal(text, maxFractionDigits);
  const negative = rounded.startsWith("-");
  const [int, fraction] = (negative ? rounded.slice(1) : rounded).split(".");
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "-" : ""}${grouped}${fraction ? `.${fraction}` : ""}`;
}

/**
 * A token amount for reading (shares, pools): exactly 2 fraction digits from 1 up, 4 significant digits
 * below 1 (0.0001234), so small shares never show as 0.00. The exact amount belongs in a title.
 */
export function formatTokenAmount(text: string | null | undefined): string {
  if (text === null || text === undefined || text === "") return "–";
  if (!isDecimal(text)) return text;
  const magnitude = text.replace(/^-/, "");
  if (compareDecimals(magnitude, "1") >= 0) {
    // Always two places from 1 up, so the amounts of a column line up (8,265.10 under 26,736.98).
    const shown = formatDecimal(text, 2);
    const fraction = shown.split(".")[1] ?? "";
    return `${shown}${fraction ? "" : "."}${"0".repeat(2 - fraction.length)}`;
  }
  const leadingZeros = /^0*\.?(0*)/.exec(magnitude)?.[1].length ?? 0;
  return formatDecimal(text, leadingZeros + 4);
}

/** Signed form for deltas: "+12.5", "-3". */
export function formatSigned(text: string, maxFractionDigits = 2): string {
  const formatted = formatDecimal(text, maxFractionDigits);
  return formatted.startsWith("-") || formatted === "0" ? formatted : `+${formatted}`;
}

/** Running totals of a series, exact (for points-over-time charts). */
export function cumulative(values: string[]): string[] {
  let total = "0";
  return values.map((v) => {
    total = addDecimals(total, v);
    return total;
  });
}

/** A number for drawing only (chart coordinates); never use it for arithmetic that is shown. */
export function toPlotNumber(text: string): number {
  return Number(text);
}
