import { pick } from "../samDraft.js";
import type { SamSource } from "./source.js";

/** Direct callers (API Gateway, function URLs): the entry is written as the trigger gave it. */
export const samSync: SamSource = { finish: (entry) => entry };

/** Asynchronous triggers take the function's EventInvokeConfig (retries, event age, destination). */
export const samAsync: SamSource = {
  finish: (entry, fn) => {
    const settings = pick({ ...fn.asyncConfig }, ["maximumRetryAttempts", "maximumEventAge", "onFailure"]);
    return Object.keys(settings).length > 0 ? { ...entry, async: settings } : entry;
  },
};
