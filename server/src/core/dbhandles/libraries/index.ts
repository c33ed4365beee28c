// Every library model, looked up by import specifier. Order matters only for
// @neondatabase/serverless, whose `neon` export is HTTP while Pool/Client follow pg.

import type { LibraryModel } from '../types';
import { drizzleModel } from './drizzle';
import { neonModel, vercelPostgresModel } from './neon';
import { knexModel, kyselyModel, mikroOrmModel, prismaModel, sequelizeModel, slonikModel, typeormModel } from './orms';
import { lucidModel } from './lucid';
import { pgModel } from './pg';
import { pgPromiseModel } from './pg-promise';
import { postgresJsModel } from './postgres-js';

export const LIBRARIES: readonly LibraryModel[] = [
  neonModel,
  pgModel,
  postgresJsModel,
  drizzleModel,
  prismaModel,
  knexModel,
  kyselyModel,
  typeormModel,
  sequelizeModel,
  slonikModel,
  mikroOrmModel,
  vercelPostgresModel,
  pgPromiseModel,
  lucidModel,
];

export function modelsFor(source: string): LibraryModel[] {
  return LIBRARIES.filter((m) => m.matches(source));
}

export function modelOf(library: string): LibraryModel | undefined {
  return LIBRARIES.find((m) => m.library === library);
}
