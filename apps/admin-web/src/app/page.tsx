import { redirect } from 'next/navigation';
import { getStaffSession } from '../auth/options.ts';

export default async function Home() {
  redirect((await getStaffSession()) ? '/accounts' : '/login');
}
