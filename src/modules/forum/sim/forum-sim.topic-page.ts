// Topic page rendering (index.php?topic=TID.OFFSET), with the anti-adblock decoy rows.
import { renderBbcode } from "./forum-sim.bbcode.ts";
import {
  type AntiAdblockClasses,
  escapeHtml,
  FORUM_URL,
  forumDateHtml,
  randomClasses,
  renderPageIndex,
  renderShell,
} from "./forum-sim.layout.ts";
import { activityOf, PER_PAGE } from "./forum-sim.profile-page.ts";
import type { ForumState, SimMember, SimPost, SimTopic } from "./forum-sim.state.ts";

const STAR = '<img src="https://bitcointalk.org/Themes/custom1/images/star.gif" alt="*" border="0" />';
const STARS_BY_RANK: Record<string, number> = {
  Newbie: 1,
  "Jr. Member": 1,
  Member: 2,
  "Full Member": 3,
  "Sr. Member": 4,
  "Hero Member": 5,
  Legendary: 5,
};

/** Page of a topic at `offset` (or the page holding message `msgId`); null when the topic is unknown. */
export function renderTopic(state: ForumState, topic: SimTopic, offset: number, msgId?: number): string {
  const now = state.clock.now();
  const classes = randomClasses();
  const all = state.topicPosts(topic.id);
  const last = Math.max(1, Math.ceil(all.length / PER_PAGE));
  const index = msgId === undefined ? -1 : all.findIndex((p) => p.messageId === msgId);
  const start = index >= 0 ? index : Math.max(0, offset);
  const page = Math.min(last, Math.floor(start / PER_PAGE) + 1);
  const first = (page - 1) * PER_PAGE;

  const rows = all.slice(first, first + PER_PAGE).map((post, i) => {
    const member = state.members.get(post.memberId)!;
    return postRow(state, post, member, topic, first + i + 1, i, classes);
  });
  // Decoys follow the first post, as on the live pages: hidden rows, then an ad row with one more.
  const unix = Math.floor(now.getTime() / 1000);
  if (rows.length > 0) {
    const decoys = [1, 2].map(() => `<tr class="${classes.hiddenRow}">${decoyCell(classes, unix)}</tr>`);
    decoys.push(`<tr class="${classes.adRow}">${decoyCell(classes, unix, true)}</tr>`);
    rows.splice(1, 0, ...decoys);
  }
  const nav = renderPageIndex(page, last, PER_PAGE, (o) => `${FORUM_URL}?topic=${topic.id}.${o}`);
  const body = `<a name="top"></a>
<div><div class="nav" style="font-size: smaller; margin-bottom: 2ex; margin-top: 2ex;"><b><a href="${FORUM_URL}" class="nav">Bitcoin Forum</a></b>&nbsp;>&nbsp;<b><a href="${FORUM_URL}?board=${topic.boardId}.0" class="nav">${escapeHtml(topic.boardName)}</a></b>&nbsp;>&nbsp;<b><a href="${FORUM_URL}?topic=${topic.id}.0" class="nav">${escapeHtml(topic.subject)}</a></b></div></div>
<table width="100%" cellpadding="0" cellspacing="0" border="0">
	<tr>
		<td class="middletext" valign="bottom" style="padding-bottom: 4px;">${nav}</td>
	</tr>
</table>
<form action="${FORUM_URL}?action=quickmod2;topic=${topic.id}.${first}" method="post" accept-charset="ISO-8859-1" name="quickModForm" id="quickModForm" style="margin: 0;">
<table cellpadding="0" cellspacing="0" border="0" width="100%" class="bordercolor">
${rows.join("")}
	<tr><td style="padding: 0 0 1px 0;"></td></tr>
</table>
<a name="lastPost"></a>
</form>
<table width="100%" cellpadding="0" cellspacing="0" border="0">
	<tr>
		<td class="middletext">${nav}</td>
	</tr>
</table>`;
  return renderShell({ title: topic.subject, now, classes, body });
}

function postRow(
  state: ForumState,
  post: SimPost,
  member: SimMember,
  topic: SimTopic,
  position: number,
  indexOnPage: number,
  classes: AntiAdblockClasses,
): string {
  const now = state.clock.now();
  const msg = post.messageId;
  const stars = STAR.repeat(STARS_BY_RANK[member.position] ?? 1);
  const signature = member.signature
    ? `
							<hr width="100%" size="1" class="hrcolor" />
							<div class="signature sig${member.id}">${renderBbcode(member.signature)}</div>`
    : "";
  return `	<tr class="${classes.row}"><td class="${classes.cell}"><b><i></i></b>
		<a name="msg${msg}"></a>
		<table width="100%" cellpadding="3" cellspacing="0" border="0">
			<tr><td class="${indexOnPage % 2 === 0 ? "windowbg" : "windowbg2"}">
				<table width="100%" cellpadding="5" cellspacing="0" style="table-layout: fixed;">
					<tr>
								<td valign="top" width="16%" rowspan="2" style="overflow: hidden;" class="poster_info">
							<b><a href="${FORUM_URL}?action=profile;u=${member.id}" title="View the profile of ${escapeHtml(member.name)}">${escapeHtml(member.name)}</a></b>
							<div class="smalltext">
								${escapeHtml(member.position)}<br />
								${stars}<br />
								<img src="https://bitcointalk.org/Themes/custom1/images/useroff.gif" alt="Offline" border="0" style="margin-top: 2px;" /><span class="smalltext"> Offline</span><br /><br />
								Activity: ${activityOf(state, member)}<br />
								Merit: ${member.merit}<br /><br />
								<a href="${FORUM_URL}?action=profile;u=${member.id}"><img src="https://bitcointalk.org/Themes/custom1/images/icons/profile_sm.gif" alt="View Profile" title="View Profile" border="0" /></a><br />
							</div>
						</td>
								<td valign="top" width="85%" height="100%" style="padding: 2px;" class="td_headerandpost">
							<table width="100%" border="0"><tr>
								<td valign="middle"><a href="${FORUM_URL}?topic=${topic.id}.msg${msg}#msg${msg}"><img src="https://bitcointalk.org/Themes/custom1/images/post/xx.gif" alt="" border="0" /></a></td>
								<td valign="middle">
												<div style="font-weight: bold;" class="subject" id="subject_${msg}">
										<a href="${FORUM_URL}?topic=${topic.id}.msg${msg}#msg${msg}">${position === 1 ? "" : "Re: "}${escapeHtml(topic.subject)}</a>
									</div>
												<div class="smalltext">${forumDateHtml(post.postedAt, now)}</div></td>
										  <td align="right" valign="middle" height="20" style="font-size: smaller; padding-top: 4px;" class="td_buttons" ><div id="ignmsgbttns${position}" style="visibility: visible;">  <a class="message_number" style="vertical-align: middle;" href="${FORUM_URL}?topic=${topic.id}.msg${msg}#msg${msg}">#${position}</a>
		 </div>
								</td>
							</tr></table>
									 <hr width="100%" size="1" class="hrcolor"  style="margin-top: 4px;" />
							<div class="post">${renderBbcode(post.text)}</div>
						</td>
					</tr>
					<tr>
						<td valign="bottom" class="smalltext" width="85%">
							<table width="100%" border="0" style="table-layout: fixed;"><tr>
								<td valign="bottom" class="smalltext" id="modified_${msg}">
								</td>
							</tr></table>${signature}
						</td>
					</tr>
				</table>
			</td></tr>
		</table>
	</td></tr>
`;
}

/** A decoy post: every id and number is the page's Unix time and the subject has no id. */
function decoyCell(classes: AntiAdblockClasses, unix: number, withAd = false): string {
  const ad = withAd
    ? `<a href="https://example.com/ad" target="_blank">FREE BITCOIN</a><br /><span style="font-size:x-small">Advertised sites are not endorsed by the Bitcoin Forum. <a href="${FORUM_URL}?topic=715267.0">Advertise here.</a></span>`
    : "";
  return `<td class="${classes.cell}"><b><i></i></b>${ad} <a name="msg${unix}"></a>
 <table width="100%" border="0" cellpadding="3" cellspacing="0">
  <tbody><tr><td class="windowbg2">
   <table style="table-layout: fixed;" width="100%" cellpadding="5" cellspacing="0">
    <tbody><tr>
       <td rowspan="2" style="overflow: hidden;" class="poster_info" valign="top" width="16%">
      <b><a href="${FORUM_URL}?action=profile;u=${unix}" title="View the profile of ${unix}">${unix}</a></b>
      <div class="smalltext">
       Hero Member<br />
       Posts: ${unix}<br />
      </div>
     </td>
       <td style="padding: 2px;" class="td_headerandpost" valign="top" width="85%" height="100%">
      <table width="100%" border="0"><tbody><tr>
       <td valign="middle">
           <div style="font-weight: bold;" class="subject">
         <a href="${FORUM_URL}?topic=${unix}.msg${unix}#msg${unix}">${unix}</a>
        </div>
           <div class="smalltext">${unix}</div></td>
       <td class="td_buttons"><a class="message_number" href="${FORUM_URL}?topic=${unix}.msg${unix}#msg${unix}">#2</a></td>
      </tr></tbody></table>
      <div class="post">${unix}</div>
     </td>
    </tr>
   </tbody></table>
  </td></tr>
 </tbody></table>
</td>`;
}
