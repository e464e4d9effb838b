/**
 * Word lists and number prefixes the benchmark corpus (./corpus.ts) draws from. Changing
 * any of them changes the corpus, and with it every figure of `npm run bench:detect`.
 */

export const COMMON_PREFIXES = [
  '130',
  '131',
  '132',
  '133',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '155',
  '156',
  '157',
  '158',
  '159',
  '166',
  '170',
  '173',
  '176',
  '177',
  '178',
  '180',
  '181',
  '182',
  '183',
  '185',
  '186',
  '187',
  '188',
  '189',
  '191',
  '198',
  '199',
];
export const RARE_PREFIXES = [
  '134',
  '145',
  '147',
  '149',
  '153',
  '162',
  '165',
  '167',
  '171',
  '172',
  '175',
  '184',
  '190',
  '192',
  '193',
  '195',
  '196',
  '197',
];
export const AREAS_3 = ['010', '020', '021', '022', '023', '024', '025', '027', '028', '029'];
export const AREAS_4 = ['0755', '0571', '0512', '0731', '0871', '0991', '0471', '0351', '0532', '0591', '0898', '0931'];
export const SURNAMES = ['张', '王', '李', '赵', '刘', '陈', '杨', '黄', '周', '吴', '徐', '孙', '马', '朱', '胡'];
export const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '涛',
  '明',
  '超',
  '秀英',
  '建国',
  '晓东',
];
export const EN_NAMES = ['Alice', 'Bob', 'Chen Wei', 'David', 'Emma', 'Frank Li', 'Grace', 'Henry Zhang', 'Ivy', 'Jack'];
export const COMPANIES = ['华信科技有限公司', '东方物流', '蓝海贸易', '金桥地产', '星河传媒', 'Acme Corp', 'Globex', '恒达建材'];
export const CHAT_FILLER = [
  '好的，收到。',
  '明天上午开会，别忘了带资料。',
  '这个方案我再看看，晚点回复你。',
  'OK, sounds good to me.',
  '客户那边说下周再确认。',
  '辛苦了！👍',
  'Can you send me the latest report?',
  '合同已经盖章，明天寄出。',
  '系统又卡了，重启一下试试。',
  '今天的销售额比昨天高了不少。',
  '请保守商业秘密，不要外传。',
  '这是我们之间的小秘密😄',
  '会议涉及机密的内容，请勿录音。',
  '按公司规定，客户资料密级分为“秘密”、“机密”、“绝密”三级。',
  'Please keep this confidential.',
];
export const MOBILE_LEAD = [
  '手机',
  '手机号',
  '电话',
  '联系电话',
  '联系方式：',
  'Tel:',
  'Mobile:',
  '致电',
  'call me at',
  '客户电话',
  '号码',
  '',
  '',
  '微信同号',
];

export function wide(s: string): string {
  let o = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    o += c >= 48 && c <= 57 ? String.fromCharCode(0xff10 + c - 48) : ch;
  }
  return o;
}
