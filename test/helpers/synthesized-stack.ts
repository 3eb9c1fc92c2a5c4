import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** A CloudFormation resource as the synthesized template has it. */
export interface TemplateResource {
  Type: string;
  Properties: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
}

export interface Template {
  Resources: Record<string, TemplateResource>;
}

/** One Lambda function of the template and the directory of its code asset. */
export interface SynthesizedFunction {
  logicalId: string;
  /** The construct id, e.g. PollFunction. */
  constructId: string;
  handler: string;
  runtime: string;
  memorySize: number;
  timeoutSeconds: number;
  /** Environment variables as the template sets them: strings, or CloudFormation intrinsics. */
  variables: Record<string, unknown>;
  assetDir: string;
}

export interface SynthesizedStack {
  outdir: string;
  template: Template;
  functions: SynthesizedFunction[];
}

/**
 * Synthesizes the app the way `cdk synth` does, without the CLI (which would look for updates and
 * credentials): cdk.json's app command in a fresh process, its context passed in CDK_CONTEXT_JSON
 * and the output directory in CDK_OUTDIR, with the asset and path metadata the CLI asks for.
 */
export async function synthesizeStack(
  projectRoot: string,
  outdir: string,
  extraContext: Record<string, unknown> = {},
): Promise<SynthesizedStack> {
  const cdkJson = JSON.parse(await readFile(join(projectRoot, 'cdk.json'), 'utf8')) as {
    app: string;
    context?: Record<string, unknown>;
  };
  const context = {
    ...cdkJson.context,
    ...extraContext,
    'aws:cdk:enable-asset-metadata': true,
    'aws:cdk:enable-path-metadata': true,
  };
  await promisify(execFile)('/bin/sh', ['-c', cdkJson.app], {
    cwd: projectRoot,
    env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(context) },
    maxBuffer: 16 * 1024 * 1024,
  });
  const manifest = JSON.parse(await readFile(join(outdir, 'manifest.json'), 'utf8')) as {
    artifacts: Record<string, { type: string; properties?: { templateFile?: string } }>;
  };
  const stack = Object.values(manifest.artifacts).find((a) => a.type === 'aws:cloudformation:stack');
  if (!stack?.properties?.templateFile) throw new Error(`no stack in ${outdir}/manifest.json`);
  const template = JSON.parse(
    await readFile(join(outdir, stack.properties.templateFile), 'utf8'),
  ) as Template;
  return { outdir, template, functions: lambdaFunctions(template, outdir) };
}

function lambdaFunctions(template: Template, outdir: string): SynthesizedFunction[] {
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.['aws:asset:path'])
    .map(([logicalId, r]) => {
      const path = String(r.Metadata?.['aws:cdk:path'] ?? logicalId).split('/');
      const environment = r.Properties.Environment as { Variables?: Record<string, unknown> } | undefined;
      return {
        logicalId,
        constructId: path.at(-2) ?? logicalId,
        handler: String(r.Properties.Handler),
        runtime: String(r.Properties.Runtime),
        memorySize: Number(r.Properties.MemorySize ?? 128),
        timeoutSeconds: Number(r.Properties.Timeout ?? 3),
        variables: environment?.Variables ?? {},
        assetDir: join(outdir, String(r.Metadata?.['aws:asset:path'])),
      };
    });
}

/** The logical id of the one resource of a type whose construct path ends in the given id. */
export function logicalIdOf(template: Template, type: string, constructId: string): string {
  const matches = Object.entries(template.Resources).filter(
    ([, r]) =>
      r.Type === type && String(r.Metadata?.['aws:cdk:path'] ?? '').endsWith(`/${constructId}/Resource`),
  );
  if (matches.length !== 1) throw new Error(`expected one ${type} ${constructId}, found ${matches.length}`);
  return (matches[0] as [string, TemplateResource])[0];
}

/**
 * The environment the template gives a function, with each { Ref } replaced by the value the
 * resource would have once deployed; any other intrinsic is refused so a new one is noticed.
 */
export function resolveVariables(
  variables: Record<string, unknown>,
  refs: Readonly<Record<string, string>>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(variables).map(([name, value]) => {
      if (typeof value === 'string') return [name, value];
      const ref = (value as { Ref?: unknown }).Ref;
      if (typeof ref === 'string' && refs[ref] !== undefined) return [name, refs[ref]];
      throw new Error(
        `environment variable ${name} is ${JSON.stringify(value)}, which the test cannot resolve`,
      );
    }),
  );
}
