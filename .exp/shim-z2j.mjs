export const zodToJsonSchema = () => { throw new Error('zod v3 schemas are not used'); };
