import { describeValue, InputError } from "../common/inputError.js";
import { isObject, parseTemplate } from "./cloudFormation.js";
import { settleConcurrency } from "./samConcurrency.js";
import { ConversionDraft } from "./samDraft.js";
import { addFunctionEvents } from "./samEvents.js";
import { readFunctions } from "./samFunctions.js";
import { addPermission, addResourceTrigger } from "./samResourceTriggers.js";
import { renderScenario } from "./samScenarioYaml.js";

export { formatSeconds } from "./formatSeconds.js";
export { scheduleInterval } from "./scheduleExpressions.js";

/*
 * `lambdasim from-sam`: a SAM or CloudFormation template's functions and event sources as a
 * scenario skeleton. A template fixes the configuration (memory, timeout, runtime, concurrency,
 * mapping and queue settings) but not the handler times or the traffic: those are written as
 * marked placeholders, and everything the converter could not read or had to assume is returned
 * as a warning (and repeated at the top of the scenario).
 */

export interface SamConversion {
  /** The scenario, as commented YAML that `lambdasim validate` accepts. */
  yaml: string;
  warnings: string[];
}

/** Converts a SAM or CloudFormation template (YAML or JSON) into a scenario skeleton. */
export function fromSam(templateText: string, fileName: string): SamConversion {
  const { template, warnings: parseWarnings } = parseTemplate(templateText, fileName);
  const draft = new ConversionDraft(template);
  readFunctions(draft);
  if (draft.functions.length === 0) {
    const types = [...new Set(Object.values(draft.resources).map((r) => (isObject(r) ? String(r.Type) : "?")))].sort();
    throw new InputError([
      {
        path: "Resources",
        message: `${fileName} defines no AWS::Serverless::Function or AWS::Lambda::Function to convert (resource types: ${types.length > 0 ? types.join(", ") : "none"})`,
      },
    ]);
  }
  draft.functions.forEach((_, index) => addFunctionEvents(draft, index));
  for (const [id, resource] of Object.entries(draft.resources)) {
    if (isObject(resource)) addResourceTrigger(draft, id, resource);
  }
  for (const [id, resource] of Object.entries(draft.resources)) {
    if (isObject(resource) && resource.Type === "AWS::Lambda::Permission") addPermission(draft, id, resource);
  }
  addDirectInvocations(draft);
  const account = settleConcurrency(draft);
  const parameterWarnings = [...draft.evaluator.defaultsUsed].map(
    ([name, value]) => `Parameters.${name}: read as its Default ${describeValue(value)}; a deployment may pass another value`,
  );
  const warnings = [...parseWarnings, ...parameterWarnings, ...draft.warnings];
  return { yaml: renderScenario(draft, fileName, account, warnings), warnings };
}

/**
 * Functions the template gives no trigger are invoked directly (SDK, Step Functions, another
 * function). A scenario needs some workload, so when no trigger at all could be converted every
 * function gets such an entry.
 */
function addDirectInvocations(draft: ConversionDraft): void {
  const everyFunction = draft.workload.length === 0;
  if (everyFunction && draft.functions.some((fn) => fn.triggered)) {
    draft.warn("Resources", "no event source could be converted; every function gets a synchronous placeholder entry");
  }
  draft.functions.forEach((fn, index) => {
    if (fn.triggered && !everyFunction) return;
    const origin = fn.triggered
      ? "none of its event sources could be converted: a synchronous placeholder"
      : "no event source in the template: invoked directly (an AWS SDK, Step Functions, another function)";
    draft.addInvocation(index, "sync", origin, "the request rate");
  });
}
