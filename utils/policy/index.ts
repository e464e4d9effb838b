export * from './schema';
export * from './default-policy';
export * from './decide';
export * from './origins';
export * from './grant';
