import { z } from "zod";
import { KNOWN_RUNTIMES } from "../model/runtimes.js";
import { functionSchema, scenarioSchema } from "../scenario/schema.js";
import { TIME_HELP, TIME_PATTERN } from "../scenario/units.js";

/*
 * The JSON Schema of the scenario format, generated from the zod schema the validator uses, so an
 * editor checks and completes exactly the fields `lambdasim validate` knows.
 *
 * It describes what may be written (zod's "input" side: times as strings or numbers, "infinite",
 * defaults left out). Checks that span fields or live in refinements (reserved concurrency against
 * the account, visibility timeout against the function timeout, a time's allowed range, ordered
 * steps) cannot be said in JSON Schema; `lambdasim validate` remains the full check.
 *
 * Each field's hover help is the `.meta({ description })` it carries in the zod schema. zod puts
 * that on the outermost wrapper (the default, optional or transform around the value), and when it
 * inlines the wrapped schema it keeps the wrapper's own keys over the inner ones, so the field's
 * description wins over the generic time help below; the tests check that every field has its own.
 */

type JsonSchema = z.core.JSONSchema.BaseSchema;

/**
 * The only number-or-string union in the format is a time, written as "250ms" or as seconds.
 * zod renders it as `type: [number, string]`, which would let "10 sec" or -3 through.
 */
function isTime(schema: z.core.$ZodType): boolean {
  if (!(schema instanceof z.ZodUnion) || schema.options.length !== 2) return false;
  const [first, second] = schema.options;
  const unchecked = (s: z.core.$ZodType) => (s._zod.def.checks ?? []).length === 0;
  return first instanceof z.ZodNumber && second instanceof z.ZodString && unchecked(first) && unchecked(second);
}

// The runtime is a string checked against the known runtimes in a refinement; here it is an enum.
const runtimeString = functionSchema.shape.runtime.unwrap();

function override({ zodSchema, jsonSchema }: { zodSchema: z.core.$ZodType; jsonSchema: JsonSchema }): void {
  if (isTime(zodSchema)) {
    delete jsonSchema.anyOf;
    delete jsonSchema.type;
    jsonSchema.description = TIME_HELP;
    jsonSchema.anyOf = [
      { type: "number", minimum: 0 },
      { type: "string", pattern: TIME_PATTERN.source },
    ];
  } else if (zodSchema === functionSchema) {
    // A handler time is required, given one of two ways (compile.ts checks that it is exactly one).
    // Each branch names its property (no constraint of its own: the parent's applies) for strict validators.
    jsonSchema.anyOf = ["duration", "durationByMemory"].map((key) => ({
      properties: { [key]: { description: "The handler time: give duration or durationByMemory." } },
      required: [key],
    }));
  } else if (zodSchema === runtimeString) {
    jsonSchema.enum = [...KNOWN_RUNTIMES];
  } else if (zodSchema instanceof z.ZodDefault && !("default" in jsonSchema)) {
    // zod drops the default of a field that is transformed (a time becomes seconds), since the
    // default is the transformed value; it is still worth showing when it is itself valid input.
    const value: unknown = zodSchema._zod.def.defaultValue;
    if (z.safeParse(zodSchema.unwrap(), value).success && JSON.stringify(value) !== undefined) jsonSchema.default = value;
  }
}

/** The JSON Schema (draft-07) of scenario files, for editors and other tools. */
export function scenarioJsonSchema(): Record<string, unknown> {
  // draft-07, not zod's default 2020-12: the YAML language server behind VS Code and most editors
  // checks draft-07 only. Unrepresentable types throw (zod's default), so a schema change that
  // JSON Schema cannot express fails the tests rather than silently accepting anything.
  const generated = z.toJSONSchema(scenarioSchema, { io: "input", target: "draft-07", override });
  const { $schema, ...rest } = generated;
  return {
    $schema,
    title: "lambdasim scenario",
    description:
      "A lambdasim scenario: functions, account and platform settings, and the workload that drives them. " +
      "Field reference: the Scenario reference section of lambdasim's README. `lambdasim validate` also checks what " +
      "spans fields (reserved concurrency against the account limit, visibility timeout against the function timeout, ranges of times).",
    ...rest,
  };
}
