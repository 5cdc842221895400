// Page frame shared by every simulated page: head, inline anti-adblock CSS, header clock, encoding.
import { randomInt } from "node:crypto";
import iconv from "iconv-lite";

export const FORUM_URL = "https://bitcointalk.org/index.php";

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** Random class names the forum generates per request so ad blockers cannot key on them. */
export interface AntiAdblockClasses {
  row: string;
  cell: string;
  hiddenRow: string;
  adRow: string;
}

/** Draws four distinct 22-letter class names, like the 2017 pages (`jDhzvljitibVdkxzzxvdYA`). */
export function randomClasses(): AntiAdblockClasses {
  const names = new Set<string>();
  while (names.size < 4) names.add(randomClassName());
  const [row, cell, hiddenRow, adRow] = [...names];
  return { row, cell, hiddenRow, adRow };
}

function randomClassName(): string {
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let name = "";
  for (let i = 0; i < 22; i++) name += letters[randomInt(letters.length)];
  return name;
}

const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

function clockTime(date: Date): string {
  const hour = date.getUTCHours();
  const hour12 = hour % 12 === 0 ? 12 : hour % 12;
  return `${pad(hour12)}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} ${hour < 12 ? "AM" : "PM"}`;
}

/** `July 30, 2014, 12:02:50 AM` in UTC, as guests see every date. */
export function forumDate(date: Date): string {
  return `${MONTH_NAMES[date.getUTCMonth()]} ${pad(date.getUTCDate())}, ${date.getUTCFullYear()}, ${clockTime(date)}`;
}

/** Like `forumDate`, but same-day dates read `<b>Today</b> at …`, as the forum prints them. */
export function forumDateHtml(date: Date, now: Date): string {
  const sameDay = date.toISOString().slice(0, 10) === now.toISOString().slice(0, 10);
  return sameDay ? `<b>Today</b> at ${clockTime(date)}` : forumDate(date);
}

interface ShellInput {
  title: string;
  now: Date;
  classes: AntiAdblockClasses;
  body: string;
}

/** Wraps page content in the forum's frame: charset meta, inline style with hidden classes, header clock. */
export function renderShell({ title, now, classes, body }: ShellInput): string {
  return `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head>
	<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1" />
	<meta name="description" content="${escapeHtml(title)}" />
	<script language="JavaScript" type="text/javascript"><!-- // --><![CDATA[
		var smf_scripturl = "${FORUM_URL}";
		var smf_charset = "ISO-8859-1";
	// ]]></script>
	<title>${escapeHtml(title)}</title>
	<link rel="stylesheet" type="text/css" href="https://bitcointalk.org/Themes/custom1/style.css" /><style type="text/css">
.${classes.adRow} td {background-color: #E5E5E8; padding:1.5pt 5pt !important; text-align:center;width:inherit;overflow:inherit;line-height:inherit;font-size: 90%}
.${classes.adRow} table {display:none}
.${classes.hiddenRow} {display:none}
.${classes.cell} {padding: 1px 1px 0 1px;}
</style>
</head>
<body>
	<div class="tborder" >
		<table width="100%" cellpadding="0" cellspacing="0" border="0" id="smfheader">
			<tr>
				<td class="catbg" height="32">
					<span style="font-family: Verdana, sans-serif; font-size: 140%; ">Bitcoin Forum</span>
				</td>
			</tr>
		</table>
		<table width="100%" cellpadding="0" cellspacing="0" border="0" >
			<tr>
				<td class="titlebg2" height="32" align="right">
					<span class="smalltext">${forumDate(now)}</span>
				</td>
			</tr>
			<tr id="upshrinkHeader">
				<td valign="top" colspan="2">
					<span class="middletext">Welcome, <b>Guest</b>. Please <a href="${FORUM_URL}?action=login">login</a> or <a href="${FORUM_URL}?action=register">register</a>.</span>
				</td>
			</tr>
		</table>
	</div>
	<div id="bodyarea" style="padding: 1ex 0px 2ex 0px;">
${body}
	</div>
	<div id="footerarea" style="text-align: center; padding-bottom: 1ex;">
		<span class="smalltext"><a href="http://www.simplemachines.org/" title="Simple Machines Forum" target="_blank">Powered by SMF 1.1.19</a> | <a href="http://www.simplemachines.org/about/copyright.php" title="Free Forum Software" target="_blank">SMF &copy; 2006-2009, Simple Machines</a></span>
	</div>
</body></html>`;
}

/** Builds `Pages: 1 ... 4 [5] 6 ... 9` navigation; `hrefFor(offset)` gives each page's URL. */
export function renderPageIndex(
  current: number,
  last: number,
  perPage: number,
  hrefFor: (offset: number) => string,
) {
  const link = (page: number) => `<a class="navPages" href="${hrefFor((page - 1) * perPage)}">${page}</a>`;
  const parts: string[] = [];
  let previous = 0;
  for (let page = 1; page <= last; page++) {
    const isShown = page === 1 || page === last || Math.abs(page - current) <= 2;
    if (!isShown) continue;
    if (page - previous > 1) parts.push("<b> ... </b>");
    parts.push(page === current ? `[<b>${page}</b>]` : link(page));
    previous = page;
  }
  return `Pages: ${parts.join(" ")} `;
}

// Windows-1252 has these 27 characters in 0x80-0x9F; anything else above 0xFF becomes an entity.
const CP1252_EXTRAS = new Set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ");

/** Encodes a page as the forum does: windows-1252 bytes, other characters as `&#N;` entities. */
export function encodeWindows1252(html: string): Buffer {
  let safe = "";
  for (const ch of html) {
    const code = ch.codePointAt(0)!;
    const fits = code < 0x80 || (code >= 0xa0 && code <= 0xff) || CP1252_EXTRAS.has(ch);
    safe += fits ? ch : `&#${code};`;
  }
  return iconv.encode(safe, "windows-1252");
}
