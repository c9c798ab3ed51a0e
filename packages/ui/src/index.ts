export * from './format.ts';
export { cx } from './class-names.ts';
export { PriceCell, type PriceCellProps } from './price-cell.tsx';
export { MoneyCell, PnlCell, type MoneyCellProps } from './money-cell.tsx';
export { Table, THead, TBody, Tr, Th, Td, TableMessage } from './table.tsx';
export { Button, type ButtonProps } from './button.tsx';
export { Input, Select, Field, type FieldProps } from './field.tsx';
export { Card } from './card.tsx';
export { StatusDot, Spinner, Skeleton, ErrorBanner } from './status.tsx';
