// Pages the real forum (or its CDN) serves instead of content: errors, challenges, throttling.
import { escapeHtml, randomClasses, renderShell } from "./forum-sim.layout.ts";

export interface SimResponse {
  status: number;
  html: string;
  headers?: Record<string, string>;
}

export const PROFILE_NOT_FOUND = "The user whose profile you are trying to view does not exist.";
export const TOPIC_NOT_FOUND =
  "The topic or board you are looking for appears to be either missing or off limits to you.";

/** SMF's "An Error Has Occurred!" box inside the normal page frame; SMF 1.1 sends it as 200. */
export function forumErrorPage(now: Date, message: string): SimResponse {
  const body = `<table border="0" width="80%" cellspacing="0" align="center" cellpadding="4" class="tborder">
		<tr class="titlebg">
			<td>An Error Has Occurred!</td>
		</tr>
		<tr class="windowbg">
			<td style="padding-top: 3ex; padding-bottom: 3ex;">
				${escapeHtml(message)}
			</td>
		</tr>
	</table>
	<div align="center" style="margin-top: 2ex;"><a href="javascript:history.go(-1)">Back</a></div>`;
  return {
    status: 200,
    html: renderShell({ title: "An Error Has Occurred!", now, classes: randomClasses(), body }),
  };
}

/** The forum's throttle page when a client asks too often. */
export function tooFastPage(): SimResponse {
  return {
    status: 503,
    headers: { "retry-after": "30" },
    html: `<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1" /><title>Bitcoin Forum</title></head>
<body><div style="text-align:center;margin-top:4em">You are requesting too fast. The server is busy; please wait a moment and try again.</div></body></html>`,
  };
}

/** A Cloudflare managed-challenge interstitial ("Just a moment..."). */
export function cloudflarePage(): SimResponse {
  const ray = Math.random().toString(16).slice(2, 18);
  return {
    status: 403,
    headers: { "cf-ray": `${ray}-AMS`, server: "cloudflare", "cf-mitigated": "challenge" },
    html: `<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><meta name="robots" content="noindex,nofollow"></head>
<body><div class="main-wrapper" role="main"><div class="main-content"><noscript><div class="h2"><span id="challenge-error-text">Enable JavaScript and cookies to continue</span></div></noscript></div></div>
<script>(function(){window._cf_chl_opt={cvId: '3',cZone: "bitcointalk.org",cType: 'managed',cRay: '${ray}'};var a=document.createElement('script');a.src='/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1?ray=${ray}';document.getElementsByTagName('head')[0].appendChild(a);}());</script></body></html>`,
  };
}

/** A bare 500 from the web server, not an SMF page. */
export function serverErrorPage(): SimResponse {
  return {
    status: 500,
    html: `<html>
<head><title>500 Internal Server Error</title></head>
<body>
<center><h1>500 Internal Server Error</h1></center>
<hr><center>nginx</center>
</body>
</html>`,
  };
}
