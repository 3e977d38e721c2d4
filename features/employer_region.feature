# language: zh-CN
功能: 用人单位扫码，看到证书在本地是否互认
  An employer opens a certificate's QR link on a phone, says where the record is to be used,
  and sees whether it counts there (native, or under which agreement and as what); the phone
  remembers the choice. Without JavaScript the page says what to do instead.

  嘉善县的用人单位用手机扫描青浦区人社局签发的职称证书二维码，在页面上选择“嘉善县”，
  看到这份证书依据哪项互认协议在嘉善有效、法律依据是什么、相当于本地的什么职称；
  手机记住这个选择，下次打开直接按嘉善作答。浏览器关闭 JavaScript 时，页面说明该怎么做。

  背景:
    假如 青浦区人社局签发的一份职称证书的二维码链接

  场景: 嘉善的用人单位选择所在地区，看到互认结论，手机记住了选择
    当 用人单位在手机上打开二维码链接
    那么 页面请用人单位选择所在地区
    当 用人单位选择 "嘉善县"
    那么 页面显示 "Recognised in Jiashan"，并写明互认协议、法律依据和本地相当的职称
    当 用人单位重新打开这个链接
    那么 "嘉善县" 仍被选中，页面直接显示 "Recognised in Jiashan"

  场景: 在示范区以外使用，页面建议向当地人社部门咨询
    当 用人单位在手机上打开二维码链接
    而且 用人单位选择 "其他地区"
    那么 页面显示 "ask the local human-resources bureau"

  场景: 浏览器关闭了 JavaScript，页面说明该怎么做
    当 用人单位在关闭 JavaScript 的手机浏览器中打开二维码链接
    那么 页面说明需要开启 JavaScript，而不是一直显示 "Checking"
