import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { SUBGRAPH_NAMES, type ServiceName } from '../shared/config';
import { repoRoot, serviceEntryPoint } from '../shared/paths';

/**
 * No Docker engine or cluster runs here, so the deployment files are checked as data: each
 * container runs its own service's entry point, and that entry point is something the build
 * emits (tsc turns every X.ts of the build's sources into dist/X.js).
 */
const root = repoRoot();
const services: ServiceName[] = ['gateway', ...SUBGRAPH_NAMES];
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const built = (jsPath: string) => /^dist\/(?!test\/).+\.js$/.test(jsPath) && existsSync(join(root, jsPath.replace(/^dist\//, '').replace(/\.js$/, '.ts')));

describe('deployment files', () => {
  it('docker-compose.yml runs each service from its own entry point', () => {
    const compose = parse(read('docker-compose.yml'), { merge: true }) as {
      services: Record<string, { command?: string[]; environment?: Record<string, string> }>;
    };
    expect(Object.keys(compose.services).sort()).toEqual(['postgres', ...services].sort());
    for (const name of services) {
      const service = compose.services[name]!;
      expect({ name, command: service.command }).toEqual({ name, command: ['node', serviceEntryPoint(name)] });
      expect(built(service.command![1]!)).toBe(true);
      expect(service.environment).not.toHaveProperty('HUB_SERVICES');
    }
  });

  it('deploy/hub.yaml runs each Deployment from its own service’s entry point', () => {
    const docs = parseAllDocuments(read('deploy/hub.yaml')).map((d) => d.toJS() as { kind: string; metadata: { name: ServiceName }; spec: any });
    const deployments = docs.filter((d) => d.kind === 'Deployment');
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual([...services].sort());
    for (const d of deployments) {
      const [container] = d.spec.template.spec.containers as { command: string[]; env?: { name: string }[] }[];
      expect({ name: d.metadata.name, command: container!.command }).toEqual({ name: d.metadata.name, command: ['node', serviceEntryPoint(d.metadata.name)] });
      expect(built(container!.command[1]!)).toBe(true);
      expect((container!.env ?? []).map((e) => e.name)).not.toContain('HUB_SERVICES');
    }
  });

  it('the image’s default command is a built entry point', () => {
    const cmd = /^CMD (\[.*\])$/m.exec(read('Dockerfile'))?.[1];
    const command = JSON.parse(cmd ?? '[]') as string[];
    expect(command[0]).toBe('node');
    expect(built(command[1] ?? '')).toBe(true);
  });
});
