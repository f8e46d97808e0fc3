import { composeServices, compositionHasErrors } from '@theguild/federation-composition';
import { parse } from 'graphql';

export interface SubgraphSdl {
  name: string;
  url: string;
  sdl: string;
}

/** What composition yields: the supergraph the gateway serves and the API clients see. */
export interface ComposedSupergraph {
  /** With the federation machinery (join__, link__): what the gateway loads. */
  supergraphSdl: string;
  /** The public API schema: what clients introspect, without federation directives or @inaccessible parts. */
  publicSdl: string;
}

/** Composes the supergraph in code (no external binary); throws listing every composition error. */
export function composeSupergraph(subgraphs: SubgraphSdl[]): ComposedSupergraph {
  const result = composeServices(subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })));
  if (compositionHasErrors(result)) {
    throw new Error(`Supergraph composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  return { supergraphSdl: result.supergraphSdl, publicSdl: result.publicSdl };
}
