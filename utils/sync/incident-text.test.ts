import { describe, expect, it } from 'vitest';
import { testRegister } from '../register/test-register';
import { incidentTextProblem, reportableOrigin } from './incident-text';

describe('leak report text, checked on the device before it is stored', () => {
  it('refuses numbers in every disguise the server refuses', () => {
    for (const text of [
      '客户 13812345678 的资料被拍照',
      '客户 138 1234 5678 的资料被拍照',
      '客户１３８１２３４５６７８的资料',
      '座机 (010) 8888 6666 外泄',
      '身份证 110101199003074578 被发出',
      '编号 1234567 的合同',
    ]) {
      expect(incidentTextProblem(text), text).toBe('raw-number');
    }
  });
  it('control: ordinary descriptions pass, with dates and small numbers', () => {
    expect(incidentTextProblem('看到同事把客户名单拍照发到微信群')).toBeNull();
    expect(incidentTextProblem('12月5日下午3点，会议室3打印的2页资料遗失')).toBeNull();
    expect(incidentTextProblem('A colleague photographed the customer list')).toBeNull();
  });
  it('with the register: a customer or company name is refused, written as people write it', async () => {
    const register = await testRegister();
    for (const text of [
      '北京星辰科技有限公司的资料被拍照发出',
      '看到有人在打印 北京星辰科技 有限公司 的合同',
      '上海某贸易有限公司报价单遗失',
    ]) {
      expect(incidentTextProblem(text, register), text).toBe('customer-name');
    }
    // Without the register nothing tells a name: the same text passes.
    expect(incidentTextProblem('北京星辰科技有限公司的资料被拍照发出')).toBeNull();
  });
  it('control: short personal names and ordinary words pass with the register', async () => {
    const register = await testRegister();
    expect(incidentTextProblem('王伟说客户名单被拍照发到微信群', register)).toBeNull();
    expect(incidentTextProblem('一家北京科技公司的资料被发到外部邮箱', register)).toBeNull();
  });
  it('length bounds, after trimming', () => {
    expect(incidentTextProblem('  短  ')).toBe('too-short');
    expect(incidentTextProblem('')).toBe('too-short');
    expect(incidentTextProblem('很'.repeat(2001))).toBe('too-long');
    expect(incidentTextProblem('很'.repeat(2000))).toBeNull();
  });
  it('only an http(s) page origin travels, never its path', () => {
    expect(reportableOrigin('https://crm.example.com/customers/42?q=138')).toBe('https://crm.example.com');
    expect(reportableOrigin('http://127.0.0.1:8080/x')).toBe('http://127.0.0.1:8080');
    expect(reportableOrigin('chrome://extensions')).toBeNull();
    expect(reportableOrigin('file:///home/a.html')).toBeNull();
    expect(reportableOrigin('not a url')).toBeNull();
    expect(reportableOrigin(null)).toBeNull();
  });
});
