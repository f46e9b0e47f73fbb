/** The tag name of the element, apart so the bundle entry can check it without loading Lit. */
export const TAG_NAME = 'commune-feed';
