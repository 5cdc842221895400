// The profile page where a member edits their signature (`action=profile;u=N;sa=forumProfile`): on
// the real forum only its owner, signed in, reaches it. The simulator has no sign-in, so anyone may
// set any simulated member's signature there; that is what lets a demo visitor place a campaign
// signature and finish joining, as they would on the forum.
import { renderBbcode } from "./forum-sim.bbcode.ts";
import { escapeHtml, randomClasses, renderShell } from "./forum-sim.layout.ts";
import type { ForumState, SimMember } from "./forum-sim.state.ts";

/** The longest signature the page takes (the forum's own limit is lower for most ranks). */
export const MAX_SIGNATURE_CHARS = 10_000;

/** The signature form of a member; `saved` adds the forum's "profile updated" line. */
export function renderSignatureEditor(state: ForumState, member: SimMember, saved: boolean): string {
  const current = member.signature ?? "";
  const self = `index.php?action=profile;u=${member.id};sa=forumProfile`;
  const body = `<table border="0" cellpadding="4" cellspacing="1" align="center" class="bordercolor" width="85%">
	<tr class="titlebg">
		<td height="26">Forum Profile Information - ${escapeHtml(member.name)}</td>
	</tr>
${saved ? `	<tr><td class="windowbg"><b id="profile-saved">Your profile has been updated.</b></td></tr>\n` : ""}	<tr>
		<td class="windowbg2">
			<form action="${self}" method="post" accept-charset="UTF-8">
				<p class="smalltext">This is a simulated forum (Merit's demo): no sign-in, so anyone may change this member's signature here.</p>
				<b>Signature:</b><br />
				<textarea name="signature" rows="6" cols="80" maxlength="${MAX_SIGNATURE_CHARS}">${escapeHtml(current)}</textarea><br />
				<input type="submit" value="Change profile" />
			</form>
		</td>
	</tr>
	<tr class="titlebg"><td>Preview:</td></tr>
	<tr><td class="windowbg"><div class="signature">${current ? renderBbcode(current) : "<i>No signature</i>"}</div></td></tr>
</table>`;
  return renderShell({
    title: `Forum Profile Information - ${member.name}`,
    now: state.clock.now(),
    classes: randomClasses(),
    body,
  });
}
