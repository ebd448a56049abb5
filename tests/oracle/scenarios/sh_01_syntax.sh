)(*&^%$#@!
echo hi |
| grep x
echo 'unterminated
echo a ;; echo b
&& echo x
echo (
echo a )
echo ok
