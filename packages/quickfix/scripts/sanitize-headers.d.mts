export declare function stripExceptionSpecs(text: string): { text: string; count: number };
