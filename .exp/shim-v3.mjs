export const object = () => { throw new Error('zod v3 schemas are not used'); };
