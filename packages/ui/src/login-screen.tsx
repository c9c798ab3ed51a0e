import type { ReactNode } from 'react';

/** The centred sign-in page: the product name ("RTX" + `product`), a line under it, and the form. */
export function LoginScreen({ product, subtitle, children }: { product: string; subtitle: string; children: ReactNode }) {
  return (
    <main className="flex min-h-full items-center justify-center p-6">
      <div className="w-full max-w-sm">
        <div className="mb-6 text-center">
          <p className="text-2xl font-semibold tracking-tight">
            <span className="text-sky-400">RTX</span> {product}
          </p>
          <p className="mt-1 text-sm text-zinc-500">{subtitle}</p>
        </div>
        {children}
      </div>
    </main>
  );
}
