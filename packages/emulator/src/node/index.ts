export const y: string = 'a';
