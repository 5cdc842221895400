// The forum site a request means when it names none (the only site with a scraper today).
export const DEFAULT_FORUM_SITE = "bitcointalk";
