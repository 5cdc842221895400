import { createMailTransport, type MailTransport } from "../../core/mail/mail-transport.ts";
import type { CoreContext, MeritModule } from "../../core/module.ts";
import { defineMailJobs } from "./mail.jobs.ts";
import { mailRoutes } from "./mail.routes.ts";
import { createMailService, type MailService } from "./mail.service.ts";

/** Wires mail: the transport from config, the `mail.send` job and the admin outbox route. */
export function mailModule(core: CoreContext): { module: MeritModule; mail: MailService } {
  let transport: MailTransport | null = null;
  const lazyTransport: MailTransport = {
    kind: core.config.mail.transport,
    send(m) {
      transport ??= createMailTransport(core.config.mail, core.logger);
      return transport.send(m);
    },
  };
  defineMailJobs({
    db: core.db,
    clock: core.clock,
    registry: core.registry,
    logger: core.logger,
    transport: lazyTransport,
    from: core.config.mail.from,
  });
  const mail = createMailService({ db: core.db, clock: core.clock, jobs: core.jobs });
  return {
    mail,
    module: {
      name: "mail",
      routes: mailRoutes(mail),
      stop: async () => transport?.close?.(),
    },
  };
}
