// Deletion requests the services refuse, counted once for GraphQL and REST alike (the pipeline counts committed ones).
import type { DeletionBackend } from '../db/generated/enums.js';
import { isDomainError } from '../services/errors.js';
import type { Services } from '../services/index.js';

type Refused = (backend: DeletionBackend, outcome: string) => void;

/** `fn`, counting each domain error it answers with by its code and each failure it throws as `error`. */
function counting<A extends unknown[], R>(
  refused: Refused,
  backend: DeletionBackend,
  fn: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return async (...args) => {
    let result: R;
    try {
      result = await fn(...args);
    } catch (err) {
      refused(backend, 'error');
      throw err;
    }
    if (isDomainError(result)) refused(backend, result.code);
    return result;
  };
}

/**
 * Makes every deletion entry point of `services` count its refusals (in place, so the one
 * services object the app built keeps its identity).
 */
export function countRefusedDeletions(services: Services, refused: Refused): void {
  const { resources, parserResults, datasets, endpoints, images } = services;
  resources.delete = counting(refused, 'RESOURCE', resources.delete);
  parserResults.delete = counting(refused, 'PARSER_RESULT', parserResults.delete);
  datasets.delete = counting(refused, 'DATASET', datasets.delete);
  endpoints.deleteRecord = counting(refused, 'ENDPOINT_RECORD', endpoints.deleteRecord);
  endpoints.deleteAll = counting(refused, 'ENDPOINT_RECORD', endpoints.deleteAll);
  endpoints.runDeleteTask = counting(refused, 'ENDPOINT_RECORD', endpoints.runDeleteTask);
  images.delete = counting(refused, 'IMAGE', images.delete);
}
