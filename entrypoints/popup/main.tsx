import { render } from 'preact';

function Popup() {
  return <p>{browser.i18n.getMessage('extName')}</p>;
}

render(<Popup />, document.getElementById('app')!);
