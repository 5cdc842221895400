// Profile summary and post-history (sa=showPosts) pages, with the markup of the real forum.
import { renderBbcode } from "./forum-sim.bbcode.ts";
import {
  type AntiAdblockClasses,
  escapeHtml,
  FORUM_URL,
  forumDate,
  forumDateHtml,
  randomClasses,
  renderPageIndex,
  renderShell,
} from "./forum-sim.layout.ts";
import type { ForumState, SimMember, SimPost, SimTopic } from "./forum-sim.state.ts";

export const PER_PAGE = 20;
const TWO_WEEKS_MS = 14 * 24 * 3600 * 1000;

/** Activity grows at most 14 per two-week period since registration, like the forum's. */
export function activityOf(state: ForumState, member: SimMember): number {
  const periods = Math.max(
    1,
    Math.ceil((state.clock.now().getTime() - member.registeredAt.getTime()) / TWO_WEEKS_MS),
  );
  return Math.min(state.memberPosts(member.id).length, periods * 14);
}

function profileRow(label: string, value: string): string {
  return `\t\t\t\t<tr>\n\t\t\t\t\t<td><b>${label}</b></td>\n\t\t\t\t\t<td>${value}</td>\n\t\t\t\t</tr>`;
}

/** The profile summary page of a member. */
export function renderProfile(state: ForumState, member: SimMember): string {
  const now = state.clock.now();
  const posts = state.memberPosts(member.id);
  const lastActive = posts.length > 0 ? posts[0].postedAt : member.registeredAt;
  const signature = member.signature ? renderBbcode(member.signature) : "";
  const body = `<table border="0" cellpadding="4" cellspacing="1" align="center" class="bordercolor">
	<tr class="titlebg">
		<td width="420" height="26">
			<img src="https://bitcointalk.org/Themes/custom1/images/icons/profile_sm.gif" alt="" align="top" />&nbsp;
			Summary - ${escapeHtml(member.name)}
		</td>
		<td align="center" width="150">Picture/Text</td>
	</tr>
	<tr>
		<td class="windowbg" width="420">
			<table border="0" cellspacing="0" cellpadding="2" width="100%">
${[
  profileRow("Name: ", escapeHtml(member.name)),
  profileRow("Posts: ", String(posts.length)),
  profileRow("Activity:", String(activityOf(state, member))),
  profileRow("Merit:", String(member.merit)),
  profileRow("Position: ", escapeHtml(member.position)),
  profileRow("Date Registered: ", forumDateHtml(member.registeredAt, now)),
  profileRow("Last Active: ", forumDateHtml(lastActive, now)),
  profileRow("Email: ", "<i>hidden</i>"),
  profileRow("Local Time:", forumDate(now)),
].join("")}
				<tr>
					<td colspan="2" height="25">
						<table width="100%" cellpadding="0" cellspacing="0" border="0" style="table-layout: fixed;">
							<tr>
								<td style="padding-bottom: 0.5ex;"><b>Signature:</b></td>
							</tr><tr>
								<td colspan="2" width="100%" class="smalltext"><div class="signature">${signature}</div></td>
							</tr>
						</table>
					</td>
				</tr>
			</table>
		</td>
		<td class="windowbg" valign="middle" align="center" width="150"></td>
	</tr>
	<tr class="titlebg">
		<td colspan="2">Additional Information:</td>
	</tr>
	<tr>
		<td class="windowbg2" colspan="2">
			<a href="${FORUM_URL}?action=profile;u=${member.id};sa=showPosts">Show the last posts of this person.</a><br />
			<a href="${FORUM_URL}?action=profile;u=${member.id};sa=statPanel">Show general statistics for this member.</a><br />
		</td>
	</tr>
</table>`;
  return renderShell({ title: `View the profile of ${member.name}`, now, classes: randomClasses(), body });
}

function clampPage(start: number, total: number): { page: number; last: number; offset: number } {
  const last = Math.max(1, Math.ceil(total / PER_PAGE));
  const page = Math.min(last, Math.floor(Math.max(0, start) / PER_PAGE) + 1);
  return { page, last, offset: (page - 1) * PER_PAGE };
}

/** One page of a member's post history (`sa=showPosts;start=N`), newest first. */
export function renderPostHistory(state: ForumState, member: SimMember, start: number): string {
  const now = state.clock.now();
  const classes = randomClasses();
  const all = state.memberPosts(member.id);
  const { page, last, offset } = clampPage(start, all.length);
  const nav = renderPageIndex(
    page,
    last,
    PER_PAGE,
    (o) => `${FORUM_URL}?action=profile;u=${member.id};sa=showPosts;start=${o}`,
  );
  const entries = all.slice(offset, offset + PER_PAGE).map((post, i) => {
    const topic = state.topics.get(post.topicId)!;
    return historyEntry(post, topic, all.length - offset - i, now);
  });
  if (entries.length > 1) entries.splice(1, 0, historyDecoy(classes, now));
  const body =
    all.length === 0
      ? `<table border="0" width="85%" cellspacing="1" cellpadding="4" class="bordercolor" align="center">
			<tr class="titlebg"><td colspan="3" height="26">Show the last posts of this person.</td></tr>
			<tr class="windowbg2"><td>This user has no posts.</td></tr>
		</table>`
      : `<table border="0" width="85%" cellspacing="1" cellpadding="4" class="bordercolor" align="center">
			<tr class="titlebg">
				<td colspan="3" height="26">&nbsp;<img src="https://bitcointalk.org/Themes/custom1/images/icons/profile_sm.gif" alt="" align="top" />&nbsp;Show the last posts of this person.</td>
			</tr>
			<tr class="catbg3">
				<td colspan="3">${nav}</td>
			</tr>
		</table>${entries.join("")}
		<table border="0" width="85%" cellspacing="1" cellpadding="4" class="bordercolor" align="center">
			<tr>
				<td colspan="3" class="catbg3">${nav}</td>
			</tr>
		</table>`;
  return renderShell({ title: `View the profile of ${member.name}`, now, classes, body });
}

function historyEntry(post: SimPost, topic: SimTopic, counter: number, now: Date): string {
  return historyTable(
    counter,
    `<a href="${FORUM_URL}#1">Bitcoin</a> / <a href="${FORUM_URL}?board=${topic.boardId}.0">${escapeHtml(topic.boardName)}</a> / <a href="${FORUM_URL}?topic=${topic.id}.msg${post.messageId}#msg${post.messageId}">Re: ${escapeHtml(topic.subject)}</a>`,
    forumDateHtml(post.postedAt, now),
    renderBbcode(post.text),
    "",
  );
}

/** A hidden entry with the page's Unix time as every id, as the topic pages carry. */
function historyDecoy(classes: AntiAdblockClasses, now: Date): string {
  const t = Math.floor(now.getTime() / 1000);
  const links = `<a href="${FORUM_URL}?board=${t}.0">${t}</a> / <a href="${FORUM_URL}?topic=${t}.msg${t}#msg${t}">${t}</a>`;
  return historyTable(t, links, forumDate(now), String(t), classes.hiddenRow);
}

function historyTable(counter: number, links: string, date: string, bodyHtml: string, cls: string): string {
  return `
		<table border="0" width="85%" cellspacing="1" cellpadding="0" class="bordercolor${cls ? ` ${cls}` : ""}" align="center">
			<tr>
				<td width="100%">
					<table border="0" width="100%" cellspacing="0" cellpadding="4" class="bordercolor" align="center">
						<tr class="titlebg2">
							<td style="padding: 0 1ex;">
								${counter}
							</td>
							<td width="75%" class="middletext">
								&nbsp;${links}
							</td>
							<td class="middletext" align="right" style="padding: 0 1ex; white-space: nowrap;">
								on: ${date}
							</td>
						</tr>
						<tr>
							<td width="100%" height="80" colspan="3" valign="top" class="windowbg2">
								<div class="post">${bodyHtml}</div>
							</td>
						</tr>
					</table>
				</td>
			</tr>
		</table>`;
}
