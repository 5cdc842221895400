import { Type } from "typebox";
import type { App } from "../../core/http/app.ts";
import { ErrorResponses } from "../../core/http/schemas.ts";
import type { SettingsService } from "./settings.service.ts";

const SettingView = Type.Object({
  key: Type.String(),
  description: Type.String(),
  value: Type.Unknown(),
  default: Type.Unknown(),
  isDefault: Type.Boolean(),
  schema: Type.Unknown({ description: "JSON Schema the value must match" }),
  updatedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
});
const SettingList = Type.Object({ items: Type.Array(SettingView) });

/** Admin routes for runtime settings. */
export function settingsRoutes(settings: SettingsService) {
  return async (app: App) => {
    app.get(
      "/api/admin/settings",
      {
        schema: {
          tags: ["admin"],
          summary: "List runtime settings",
          description: "Every runtime setting with its current value, its default and its JSON Schema.",
          security: [{ bearerAuth: [] }],
          response: { 200: SettingList, ...ErrorResponses },
        },
      },
      async (request) => ({ items: await settings.list(request.actor) }),
    );
    app.patch(
      "/api/admin/settings",
      {
        schema: {
          tags: ["admin"],
          summary: "Change runtime settings",
          description:
            "Body maps setting keys to new values. All are validated first; if any is unknown or invalid, nothing changes (422 INVALID_SETTING).",
          security: [{ bearerAuth: [] }],
          body: Type.Record(Type.String(), Type.Unknown()),
          response: { 200: SettingList, ...ErrorResponses },
        },
      },
      async (request) => ({ items: await settings.update(request.actor, request.body) }),
    );
  };
}
