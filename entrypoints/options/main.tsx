// First: zod's jitless mode must be set before any schema is built.
import '@/utils/zod-jitless';
import { render } from 'preact';
import { EnrollmentForm } from '@/components/options/enrollment-form';
import '../popup/style.css';

render(<EnrollmentForm />, document.getElementById('app')!);
