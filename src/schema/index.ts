import { builder } from './builder.js';
import './errors.js';
import './workspaces.js';
import './resources.js';
import './parser-results.js';
import './datasets.js';
import './images.js';
import './endpoints.js';
import './events.js';
import './queue.js';
import './after-commit-tasks.js';

export const schema = builder.toSchema({ sortSchema: true });
