import { builder } from './builder.js';
import './errors.js';
import './workspaces.js';
import './resources.js';
import './events.js';
import './queue.js';

export const schema = builder.toSchema({ sortSchema: true });
