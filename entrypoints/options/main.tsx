import { render } from 'preact';
import { EnrollmentForm } from '@/components/options/enrollment-form';
import '../popup/style.css';

render(<EnrollmentForm />, document.getElementById('app')!);
