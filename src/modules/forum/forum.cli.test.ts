import path from "node:path";
import { Command } from "commander";
import { expect, it, vi } from "vitest";
import {
  bitcointalkFixturesDir,
  describeWithFixtures,
  readFixtureBytes,
} from "../../../test/support/fixtures.ts";
import { parseSavedPage, registerForumCommands } from "./forum.cli.ts";

describeWithFixtures("merit forum parse", () => {
  it("serialises dates as ISO 8601 UTC", () => {
    const json = JSON.parse(
      JSON.stringify(parseSavedPage("topic", readFixtureBytes("topic-602041-page621-2014.html"))),
    );
    expect(json.posts[0].postedAt).toBe("2014-07-31T21:03:11.000Z");
    expect(json.page).toEqual({ current: 621, last: 621 });
  });

  it("prints the parsed profile of a file as JSON", async () => {
    const program = new Command().exitOverride();
    registerForumCommands(program);
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      const file = path.join(bitcointalkFixturesDir(), "profile-srmember-u12-2014.html");
      await program.parseAsync(["forum", "parse", "--kind", "profile", file], { from: "user" });
      const printed = JSON.parse(String(write.mock.calls[0][0]));
      expect(printed).toMatchObject({ userId: 12, registeredAt: "2009-12-09T19:23:55.000Z" });
    } finally {
      write.mockRestore();
    }
  });
});
